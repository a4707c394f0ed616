using System.Security.Cryptography;
using System.Text;
using Carrot.Configuration;

namespace Carrot.Handoff;

/// <summary>
/// The settings that decide what an enqueue writes and where it is published, hashed: carrotd takes a CLI's enqueue
/// only when both hold the same, so a task recorded by the daemon is the row the CLI would have written itself. A
/// hash, so that the broker's and the database's passwords never cross the socket.
/// </summary>
internal static class HandoffFingerprint
{
    public static string Of(CarrotOptions options)
    {
        var text = new StringBuilder()
            .Append("database=").Append(DatabaseAddress.LooksLikeUri(options.Database) ? options.Database : Path.GetFullPath(options.Database)).Append('\n')
            .Append("broker=").Append(options.Broker.Trim()).Append('\n')
            .Append("queueType=").Append(QueueTypeSetting.Of(options)).Append('\n')
            .Append("taskAssemblies=").AppendJoin('\u001f', options.TaskAssemblies.Select(p => Path.GetFullPath(p))).Append('\n')
            .Append("maxArgumentBytes=").Append(options.MaxArgumentBytes).Append('\n')
            .Append("maxAttempts=").Append(options.MaxAttempts).Append('\n')
            .Append("idempotencyWindowSeconds=").Append(options.IdempotencyWindowSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
