using System.Net;
using System.Net.Sockets;

namespace Carrot.Tests.Support;

/// <summary>Ports that are free on 127.0.0.1 right now.</summary>
internal static class LoopbackPorts
{
    /// <summary>Distinct free ports (all held open together, then released, so they differ).</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
