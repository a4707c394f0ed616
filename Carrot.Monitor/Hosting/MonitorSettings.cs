using System.Net;
using Carrot.Errors;
using Microsoft.Extensions.Configuration;

namespace Carrot.Monitor.Hosting;

/// <summary>
/// The <c>"monitor"</c> section of carrot.json, for the monitor that carrotd and <c>carrot monitor</c> serve. Secrets may
/// come from the environment instead of the file (<c>CARROT_MONITOR_TOKEN</c>, <c>CARROT_MONITOR_PASSWORD</c>,
/// <c>CARROT_MONITOR_READONLY_TOKEN</c>, <c>CARROT_MONITOR_READONLY_PASSWORD</c>); they are never logged.
/// </summary>
public sealed class MonitorSettings
{
    /// <summary>The default address: loopback only.</summary>
    public const string DefaultListen = "127.0.0.1:5580";

    /// <summary><c>host:port</c> (an IP address, or <c>localhost</c>); port 0 picks a free one.</summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>The path the monitor is served under, for a reverse proxy (<c>/carrot</c>); empty: the root.</summary>
    public string PathBase { get; set; } = "";

    /// <summary>A bearer token that may act (<c>Authorization: Bearer …</c>).</summary>
    public string? Token { get; set; }

    /// <summary>A bearer token that may only look.</summary>
    public string? ReadOnlyToken { get; set; }

    /// <summary>A user (HTTP Basic) that may act; needs <see cref="Password"/>.</summary>
    public string? User { get; set; }

    /// <summary>The password of <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A user that may only look; needs <see cref="ReadOnlyPassword"/>.</summary>
    public string? ReadOnlyUser { get; set; }

    /// <summary>The password of <see cref="ReadOnlyUser"/>.</summary>
    public string? ReadOnlyPassword { get; set; }

    /// <summary>Whether any credential is set: without one, the monitor serves loopback only.</summary>
    public bool HasCredentials => !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(ReadOnlyToken) || !string.IsNullOrEmpty(User) || !string.IsNullOrEmpty(ReadOnlyUser);

    /// <summary>
    /// The <c>monitor</c> section of the file at <paramref name="configPath"/> with the environment's secrets on top; null
    /// when the file has no such section (the daemon serves no monitor then), or when there is no file.
    /// </summary>
    public static MonitorSettings? FromFile(string? configPath, Func<string, string?> environment)
    {
        if (string.IsNullOrEmpty(configPath) || !File.Exists(configPath))
        {
            return null;
        }

        IConfigurationSection section;
        try
        {
            section = new ConfigurationBuilder().AddJsonFile(configPath, optional: false, reloadOnChange: false).Build().GetSection("monitor");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new CarrotConfigurationException($"The configuration file {configPath} is not valid: {e.Message} Fix the file.", e);
        }

        if (!section.Exists())
        {
            return null;
        }

        var settings = new MonitorSettings
        {
            Listen = section["listen"] ?? DefaultListen,
            PathBase = section["pathBase"] ?? "",
            Token = section["token"],
            ReadOnlyToken = section["readOnlyToken"],
            User = section["user"],
            Password = section["password"],
            ReadOnlyUser = section["readOnlyUser"],
            ReadOnlyPassword = section["readOnlyPassword"],
        };
        return settings.WithEnvironment(environment);
    }

    /// <summary>Fills secrets the environment gives (they win over the file's).</summary>
    public MonitorSettings WithEnvironment(Func<string, string?> environment)
    {
        Token = Pick(environment("CARROT_MONITOR_TOKEN"), Token);
        ReadOnlyToken = Pick(environment("CARROT_MONITOR_READONLY_TOKEN"), ReadOnlyToken);
        Password = Pick(environment("CARROT_MONITOR_PASSWORD"), Password);
        ReadOnlyPassword = Pick(environment("CARROT_MONITOR_READONLY_PASSWORD"), ReadOnlyPassword);
        return this;
    }

    /// <summary>Where to listen, checked: a non-loopback address without credentials, or a user without a password, is refused.</summary>
    public IPEndPoint Validate()
    {
        var endpoint = ParseListen(Listen);
        if ((User is { Length: > 0 } && string.IsNullOrEmpty(Password)) || (ReadOnlyUser is { Length: > 0 } && string.IsNullOrEmpty(ReadOnlyPassword)))
        {
            throw new CarrotConfigurationException("monitor: a user needs a password: set monitor.password (or CARROT_MONITOR_PASSWORD), and monitor.readOnlyPassword (or CARROT_MONITOR_READONLY_PASSWORD) for monitor.readOnlyUser.");
        }

        if (!IPAddress.IsLoopback(endpoint.Address) && !HasCredentials)
        {
            throw new CarrotConfigurationException($"monitor: {Listen} is not a loopback address, and the monitor would let anyone who reaches it act on tasks. Set monitor.token or monitor.user and monitor.password (or CARROT_MONITOR_TOKEN / CARROT_MONITOR_PASSWORD), or listen on 127.0.0.1.");
        }

        if (PathBase.Length > 0 && (!PathBase.StartsWith('/') || PathBase.Contains("//", StringComparison.Ordinal) || PathBase.Any(char.IsWhiteSpace)))
        {
            throw new CarrotConfigurationException($"monitor.pathBase must be a path such as /carrot, not '{PathBase}'.");
        }

        return endpoint;
    }

    /// <summary><c>host:port</c>, <c>[v6]:port</c>, or <c>localhost:port</c>.</summary>
    public static IPEndPoint ParseListen(string listen)
    {
        var text = (listen ?? "").Trim();
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && endpoint.Port is >= 0 and <= 65535 && (text.LastIndexOf(':') > text.LastIndexOf(']')))
        {
            return endpoint;
        }

        throw new CarrotConfigurationException($"monitor: '{listen}' is not an address to listen on: use IP:PORT such as 127.0.0.1:5580 (or [::1]:5580, or 0.0.0.0:5580 with credentials).");
    }

    private static string? Pick(string? fromEnvironment, string? fromFile) => string.IsNullOrEmpty(fromEnvironment) ? fromFile : fromEnvironment;
}
