namespace Carrot.Daemon.Hosting;

/// <summary>carrotd takes almost no arguments; everything else is configuration.</summary>
internal sealed record DaemonArguments(string? ConfigPath, bool Help, bool Version)
{
    public static bool TryParse(string[] args, out DaemonArguments parsed, out string problem)
    {
        parsed = new DaemonArguments(null, false, false);
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    parsed = parsed with { ConfigPath = args[++i] };
                    break;
                case "--config":
                    problem = "--config needs a path.";
                    return false;
                case "--help" or "-h":
                    parsed = parsed with { Help = true };
                    break;
                case "--version":
                    parsed = parsed with { Version = true };
                    break;
                default:
                    problem = $"Unknown argument '{args[i]}'.";
                    return false;
            }
        }

        return true;
    }
}
