using System.Globalization;
using System.Text;
using Carrot.Configuration;

namespace Carrot.Handoff;

/// <summary>
/// The settings that decide what an enqueue writes and where it is published, one <c>key=value</c> line each: carrotd
/// takes a CLI's enqueue only when both hold the same, so a task recorded by the daemon is the row the CLI would have
/// written itself. Passwords are left out (the database's and the broker's, as their redacted forms), so none crosses
/// the socket; a caller that may use the socket may write the database anyway. Plain text rather than a hash: a hash
/// would load OpenSSL into every CLI call, and the daemon can name what differs.
/// </summary>
internal static class HandoffFingerprint
{
    public static string Of(CarrotOptions options) => new StringBuilder()
        .Append("database=").Append(DatabaseAddress.LooksLikeUri(options.Database) ? DatabaseAddress.Parse(options.Database).Redacted : Path.GetFullPath(options.Database)).Append('\n')
        .Append("broker=").Append(BrokerAddressList.Parse(options.Broker).Redacted).Append('\n')
        .Append("queueType=").Append(QueueTypeSetting.Of(options)).Append('\n')
        .Append("taskAssemblies=").AppendJoin(':', options.TaskAssemblies.Select(p => Path.GetFullPath(p))).Append('\n')
        .Append("maxArgumentBytes=").Append(options.MaxArgumentBytes.ToString(CultureInfo.InvariantCulture)).Append('\n')
        .Append("maxAttempts=").Append(options.MaxAttempts.ToString(CultureInfo.InvariantCulture)).Append('\n')
        .Append("idempotencyWindowSeconds=").Append(options.IdempotencyWindowSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n')
        .ToString();

    /// <summary>The keys whose values differ (or that only one side has), in <paramref name="mine"/>'s order.</summary>
    public static IReadOnlyList<string> Differences(string mine, string theirs)
    {
        var other = Lines(theirs).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var differing = Lines(mine).Where(l => !other.Remove(l.Key, out var value) || value != l.Value).Select(l => l.Key).ToList();
        differing.AddRange(other.Keys);
        return differing;
    }

    private static IEnumerable<(string Key, string Value)> Lines(string fingerprint) =>
        fingerprint.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (line[..at], line[(at + 1)..]) : (line, ""));
}
