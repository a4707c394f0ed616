using System.Text.RegularExpressions;
using Carrot.Errors;

namespace Carrot.Configuration;

/// <summary>
/// What the <c>database</c> setting names: an SQLite file (a path, the default) or a PostgreSQL server (a libpq URI,
/// <c>postgresql://USER:PASSWORD@HOST:PORT/DBNAME?sslmode=…</c>). Anything else that looks like a URI is refused,
/// so that <c>mysql://…</c> never quietly becomes a folder named <c>mysql:</c> holding an SQLite file. Only
/// <see cref="Redacted"/> may be shown to people or written to logs.
/// </summary>
internal sealed partial class DatabaseAddress
{
    // libpq's URI parameters Carrot passes on, and the Npgsql keyword each becomes.
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["host"] = "Host",
        ["port"] = "Port",
        ["keepalives_idle"] = "Keepalive",
    };

    private DatabaseAddress(bool isPostgres, string value, string redacted, IReadOnlyDictionary<string, string> settings)
    {
        IsPostgres = isPostgres;
        Value = value;
        Redacted = redacted;
        Settings = settings;
    }

    public bool IsPostgres { get; }

    /// <summary>The setting as given (a URI keeps its password): for connecting only.</summary>
    public string Value { get; }

    /// <summary>The path, or the URI with its password replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    /// <summary>For PostgreSQL: Npgsql connection-string keywords and their values.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Whether <paramref name="value"/> is written as a URI (<c>scheme://…</c>) rather than a file path.</summary>
    public static bool LooksLikeUri(string value) => UriScheme().IsMatch(value);

    /// <summary>The database as given in a file or variable: a URI is checked, a path made absolute against <paramref name="baseFolder"/>.</summary>
    public static string Resolve(string value, string? baseFolder)
    {
        if (LooksLikeUri(value))
        {
            _ = Parse(value);
            return value;
        }

        return baseFolder is null ? Path.GetFullPath(value) : Path.GetFullPath(value, baseFolder);
    }

    /// <summary>Parses the setting; throws <see cref="CarrotConfigurationException"/> (with any password hidden) when a URI is not a PostgreSQL one.</summary>
    public static DatabaseAddress Parse(string value)
    {
        var scheme = UriScheme().Match(value);
        if (!scheme.Success)
        {
            return new DatabaseAddress(false, value, value, new Dictionary<string, string>());
        }

        var name = scheme.Groups[1].Value.ToLowerInvariant();
        if (name is not ("postgresql" or "postgres"))
        {
            throw new CarrotConfigurationException($"The database '{RedactLoose(value)}' is a {InputEcho.Shorten(name, 20)}:// URI; Carrot stores tasks in SQLite (give a file path) or PostgreSQL (postgresql://USER:PASSWORD@HOST:PORT/DBNAME).");
        }

        return ParsePostgres(value, scheme.Length);
    }

    private static DatabaseAddress ParsePostgres(string value, int start)
    {
        var rest = value[start..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Decode(rest[(slash + 1)..]) : "";
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? password = null;
        var at = authority.LastIndexOf('@');
        var hosts = authority;
        if (at >= 0)
        {
            var userInfo = authority[..at];
            hosts = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0)
            {
                password = Decode(userInfo[(colon + 1)..]);
            }

            if (user.Length > 0)
            {
                settings["Username"] = user;
            }
        }

        if (hosts.Length > 0)
        {
            // libpq allows several hosts, host1:5432,host2:5433; Npgsql takes the same list.
            settings["Host"] = string.Join(',', hosts.Split(',').Select(Decode));
        }

        if (database.Length > 0)
        {
            settings["Database"] = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq >= 0 ? pair[..eq] : pair);
            var parameter = Decode(eq >= 0 ? pair[(eq + 1)..] : "");
            if (!Parameters.TryGetValue(key, out var keyword))
            {
                throw new CarrotConfigurationException($"The database URI '{RedactLoose(value)}' has the parameter '{InputEcho.Shorten(key, 40)}', which Carrot does not pass on. Supported: {string.Join(", ", Parameters.Keys)}.");
            }

            if (keyword == "Password")
            {
                password = parameter;
                continue;
            }

            settings[keyword] = keyword == "SSL Mode" ? SslMode(parameter, value) : parameter;
        }

        if (!settings.ContainsKey("Host"))
        {
            throw new CarrotConfigurationException($"The database URI '{RedactLoose(value)}' names no host. Use postgresql://USER:PASSWORD@HOST:PORT/DBNAME.");
        }

        if (!settings.ContainsKey("Database"))
        {
            throw new CarrotConfigurationException($"The database URI '{RedactLoose(value)}' names no database. Use postgresql://USER:PASSWORD@HOST:PORT/DBNAME (create it first: createdb DBNAME).");
        }

        if (password is not null)
        {
            settings["Password"] = password;
        }

        return new DatabaseAddress(true, value, RedactLoose(value), settings);
    }

    // libpq's sslmode values, as Npgsql spells them.
    private static string SslMode(string value, string uri) => value switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => throw new CarrotConfigurationException($"The database URI '{RedactLoose(uri)}' has sslmode={InputEcho.Shorten(value, 20)}; use disable, allow, prefer, require, verify-ca or verify-full."),
    };

    private static string Decode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    /// <summary>Hides the password of anything URI-shaped (in the user info and in a password= parameter), shortened for display.</summary>
    public static string RedactLoose(string value)
    {
        var hidden = value;
        var start = hidden.IndexOf("://", StringComparison.Ordinal);
        var query = hidden.IndexOf('?', StringComparison.Ordinal);
        var at = start < 0 ? -1 : hidden.LastIndexOf('@', query < 0 ? hidden.Length - 1 : query);
        if (at > start)
        {
            // Host names and database names hold no '@', so the last one before the query ends the user info.
            var colon = hidden.IndexOf(':', start + 3);
            if (colon >= 0 && colon < at)
            {
                hidden = hidden[..(colon + 1)] + "***" + hidden[at..];
            }
        }

        hidden = PasswordParameter().Replace(hidden, "$1***");
        return InputEcho.Shorten(hidden, 200);
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"([?&]password=)[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordParameter();
}
