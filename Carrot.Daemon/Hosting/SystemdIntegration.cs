using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Carrot.Daemon.Hosting;

/// <summary>
/// <c>AddSystemd</c> (the notify lifetime: READY=1, RELOADING=1, STOPPING=1), knowing systemd by one more sign:
/// <c>SYSTEMD_EXEC_PID</c> (systemd 248 and later) naming this process. Microsoft.Extensions.Hosting.Systemd 10 looks
/// only at its parent's <c>/proc/PPID/comm</c>, which <c>ProtectProc=invisible</c> hides from the service (PID 1 is
/// another user's), so it would never say READY. Version 11 reads the variable too, but it needs the 11 packages,
/// whose app-local System.Text.Json and DiagnosticSource would replace the shared framework's precompiled ones in
/// every carrot call.
/// </summary>
internal static class SystemdIntegration
{
    public const string ExecPidVariable = "SYSTEMD_EXEC_PID";

    public static IServiceCollection AddSystemdLifetime(this IServiceCollection services)
    {
        if (IsSystemdService())
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        return services;
    }

    private static bool IsSystemdService() =>
        SystemdHelpers.IsSystemdService()
        || Environment.GetEnvironmentVariable(ExecPidVariable) == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
}
