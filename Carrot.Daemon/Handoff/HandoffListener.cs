using System.Net.Sockets;
using Carrot.Configuration;

namespace Carrot.Daemon.Handoff;

/// <summary>
/// The listening end of the enqueue hand-off socket. Whoever may write the database may enqueue, so the socket gets
/// the database file's write access (owner, group, others) as read and write; with PostgreSQL, owner and group. A
/// socket left by a carrotd that died is replaced; one that another carrotd answers on is left to it.
/// </summary>
internal sealed class HandoffListener : IDisposable
{
    private const int Backlog = 128;

    private readonly Socket _socket;

    private HandoffListener(Socket socket, string path)
    {
        _socket = socket;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Binds <paramref name="path"/>; null (with the reason) when another carrotd listens there or it cannot be bound.</summary>
    public static async Task<(HandoffListener? Listener, string? Reason)> OpenAsync(string path, CarrotOptions options, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return (null, "the hand-off needs Unix file modes");
        }

        var endpoint = new UnixDomainSocketEndPoint(path);
        if (File.Exists(path))
        {
            if (await AnswersAsync(endpoint, cancellationToken))
            {
                return (null, $"another carrotd answers on {path}");
            }

            // Left by a carrotd that died (a socket file outlives its process). An empty file only: never a user's file.
            if (new FileInfo(path).Length > 0)
            {
                return (null, $"{path} is a file that is not a socket; move it, or set enqueueSocket elsewhere");
            }

            File.Delete(path);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            File.SetUnixFileMode(path, ModeFor(options));
            socket.Listen(Backlog);
            return (new HandoffListener(socket, path), null);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            return (null, $"{path} cannot be bound ({e.Message})");
        }
    }

    public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken) => _socket.AcceptAsync(cancellationToken);

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A socket file left behind is replaced by the next carrotd, and callers that find it dead enqueue by themselves.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode ModeFor(CarrotOptions options)
    {
        const UnixFileMode group = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        if (DatabaseAddress.LooksLikeUri(options.Database) || !File.Exists(options.Database))
        {
            return group;
        }

        var database = File.GetUnixFileMode(options.Database);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (database.HasFlag(UnixFileMode.GroupWrite))
        {
            mode |= UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        }

        if (database.HasFlag(UnixFileMode.OtherWrite))
        {
            mode |= UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        }

        return mode;
    }

    private static async Task<bool> AnswersAsync(UnixDomainSocketEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(endpoint, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
