using System.Net.Sockets;
using System.Text;

namespace Carrot.Tests.Support;

/// <summary>
/// Plays systemd's side of sd_notify: a datagram socket that a daemon started with NOTIFY_SOCKET pointing at it
/// sends READY=1, RELOADING=1, STOPPING=1 to. Lets the tests check the notify protocol on a machine where
/// systemd is not running, and time how long carrotd takes to become ready.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"carrot-notify-{Guid.NewGuid():N}.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));

        // The daemon may run as another user (carrot), as under systemd.
        File.SetUnixFileMode(Path, (UnixFileMode)0b111_111_111);
    }

    public string Path { get; }

    /// <summary>Receives messages until one holds <paramref name="line"/> (e.g. READY=1); returns every line received meanwhile.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string line, TimeSpan timeout)
    {
        var received = new List<string>();
        using var limit = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var count = await _socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
                var lines = Encoding.UTF8.GetString(buffer, 0, count).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                received.AddRange(lines);
                if (lines.Contains(line))
                {
                    return received;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {line} on {Path} within {timeout.TotalSeconds} s; received: {string.Join(", ", received)}");
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
