using System.CommandLine;
using Carrot.Errors;
using Carrot.Monitor.Hosting;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot monitor</c>: the web monitor on a machine that runs no daemon (carrotd serves the same monitor when its
/// configuration has a "monitor" section). Loopback by default; any other address needs credentials.
/// </summary>
internal sealed class MonitorCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "monitor";

    private readonly CliContext _context;
    private readonly Option<string?> _listen = new("--listen")
    {
        Description = $"Address to serve on (default: monitor.listen in the configuration, else {MonitorSettings.DefaultListen}). Not loopback: set monitor.token or monitor.user/password first.",
        HelpName = "IP:PORT",
    };

    private readonly Option<string?> _pathBase = new("--path-base")
    {
        Description = "Serve under this path, for a reverse proxy (default: monitor.pathBase, else the root).",
        HelpName = "PATH",
    };

    public MonitorCommand(CliContext context)
        : base(CommandName, "Serve the web monitor: overview, tasks, workers and schedules in a browser, with a JSON API.")
    {
        _context = context;
        context.Help.Add(this, """
            Runs in the foreground until Ctrl+C. Credentials come from the configuration's "monitor" section or the
            environment (CARROT_MONITOR_TOKEN, CARROT_MONITOR_PASSWORD, CARROT_MONITOR_READONLY_TOKEN,
            CARROT_MONITOR_READONLY_PASSWORD) and are never printed.

            Examples:
              carrot monitor                                  # http://127.0.0.1:5580/
              carrot monitor --listen 127.0.0.1:8080
              CARROT_MONITOR_TOKEN=s3cret carrot monitor --listen 0.0.0.0:5580
            """);
        Options.Add(_listen);
        Options.Add(_pathBase);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = _context.LoadOptions(parseResult);
        var settings = (MonitorSettings.FromFile(options.Source, Environment.GetEnvironmentVariable) ?? new MonitorSettings().WithEnvironment(Environment.GetEnvironmentVariable));
        settings.Listen = parseResult.GetValue(_listen) ?? settings.Listen;
        settings.PathBase = parseResult.GetValue(_pathBase) ?? settings.PathBase;
        settings.Validate();
        await using var client = await Carrot.Client.CarrotClient.CreateAsync(options, cancellationToken);
        await using var server = CarrotMonitorServer.Create(client, settings);
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new CarrotConfigurationException($"monitor: cannot listen on {settings.Listen} ({e.Message}). Choose another address with --listen.", e);
        }

        _context.Out.WriteLine($"Carrot monitor on {new Uri(server.Address, settings.PathBase.TrimEnd('/') + "/")} (Ctrl+C to stop)");
        await _context.Out.FlushAsync(CancellationToken.None);
        await server.RunUntilAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}
