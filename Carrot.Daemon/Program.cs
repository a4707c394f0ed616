using Carrot.Configuration;
using Carrot.Daemon.Hosting;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Maintenance;
using Carrot.Daemon.Reloading;
using Carrot.Daemon.Telemetry;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Logging;
using Carrot.Monitor.Hosting;
using Carrot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Carrot.Daemon;

internal static class Program
{
    private const string Usage = """
        carrotd: the Carrot daemon. Runs in the foreground; systemd runs it as the carrotd service.

        Usage: carrotd [--config PATH]

          --config PATH   configuration file (else $CARROT_CONFIG, else /etc/carrot/carrot.json, else defaults)
          --version       print the version
          --help          print this help

        Environment: CARROT_DATABASE, CARROT_BROKER, CARROT_TASK_ASSEMBLIES (':'-separated) and
        CARROT_WORKERS (','-separated: the only workers this daemon takes) override the file.
        """;

    public static async Task<int> Main(string[] args)
    {
        var identity = new DaemonIdentity();
        if (!DaemonArguments.TryParse(args, out var arguments, out var problem))
        {
            await Console.Error.WriteLineAsync($"carrotd: {problem} See 'carrotd --help'.");
            return 2;
        }

        if (arguments.Help || arguments.Version)
        {
            Console.WriteLine(arguments.Help ? Usage : identity.Version);
            return 0;
        }

        var capture = new TaskLogCapture();
        var standardOutput = Console.Out;
        Console.SetOut(new TaskConsoleWriter(standardOutput, capture, TaskLogLevel.Information));
        Console.SetError(new TaskConsoleWriter(Console.Error, capture, TaskLogLevel.Error));
        var levels = new Serilog.Core.LoggingLevelSwitch();
        var journal = new JournalFilter(capture);
        await using var logger = DaemonLogging.Create(standardOutput, capture, levels, journal);
        try
        {
            var options = CarrotConfiguration.Load(arguments.ConfigPath);
            levels.MinimumLevel = Enum.Parse<Serilog.Events.LogEventLevel>(options.LogLevel, ignoreCase: true);
            journal.IncludeTaskLines = options.TaskLogToJournal;

            // The web monitor's settings are checked before anything is written: a bad one stops the start (exit 2).
            var monitor = MonitorSettings.FromFile(options.Source, Environment.GetEnvironmentVariable);
            monitor?.Validate();
            // Checked before anything starts: an unguarded metrics address is refused (exit 2), not served.
            _ = MetricsListenAddress.From(options.Metrics);
            using var otlp = OtlpExport.Start(options.Otlp, identity, Environment.GetEnvironmentVariable);
            using var metrics = TelemetryServices.CreateMetricsEndpoint(options, servedByMonitor: monitor is not null);
            await using var engine = StoreEngine.Create(options);
            var schema = await engine.MigrateAsync(CancellationToken.None);
            var catalog = KallableCatalog.Load(options.TaskAssemblies);
            logger.Information("carrotd {Version} {DaemonId} starting as {Node}; database {Database} (schema {Schema}), broker {Broker}, config {Source}",
                identity.Version, identity.Id, identity.Node, engine.Display, schema, BrokerAddressList.Parse(options.Broker).Redacted, options.Source);
            if (catalog.AssemblyPaths.Count == 0)
            {
                logger.Warning("No task assemblies are configured: every task will fail. Set \"taskAssemblies\" in the configuration file or CARROT_TASK_ASSEMBLIES");
            }

            foreach (var path in catalog.AssemblyPaths)
            {
                logger.Information("Task assembly {Path}", path);
            }

            var daemons = new DaemonStore(new CarrotDatabase(engine), engine.Clock);
            await new DeadDaemonRescue(daemons, identity, logger).RunAsync(CancellationToken.None);
            await daemons.RegisterAsync(identity.Id, identity.Host, identity.HostKey, identity.Pid, identity.Version, CancellationToken.None);

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
            builder.Services.AddSerilog(logger, dispose: false);
            builder.Services.AddSystemdLifetime();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownGraceSeconds + 30));
            var exit = new DaemonExit();
            builder.Services.AddCarrotDaemon(options, engine, new KallableCatalogSource(catalog, logger), new ReloadSettings(arguments.ConfigPath, options), capture, identity, exit, logger, monitor, metrics);
            using var host = builder.Build();
            await host.RunAsync();
            return exit.Code;
        }
        catch (Exception e) when (e is CarrotConfigurationException or CarrotInputException)
        {
            logger.Fatal("{Reason}", e.Message);
            return 2;
        }
        catch (CarrotStoreException e)
        {
            logger.Fatal("{Reason}", e.Message);
            return DaemonExit.Failed;
        }
        catch (Exception e)
        {
            // Nothing the daemon could carry on from (a bug, or a case nobody foresaw): one line, not a trace
            // logged three times and an abort; the type and message say where to look.
            logger.Fatal("carrotd stopped: {Reason}", FaultLog.Reason(e));
            return DaemonExit.Failed;
        }
    }
}
