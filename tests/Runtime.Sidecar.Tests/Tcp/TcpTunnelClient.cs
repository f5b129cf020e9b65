using System.Net.Sockets;
using System.Text;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>An app's side of a tunnel: a real socket that sends <c>CONNECT host:port</c> and reads the answer head.</summary>
internal sealed class TcpTunnelClient : IDisposable
{
    private readonly Socket _socket;

    private TcpTunnelClient(Socket socket, int status, string head, byte[] early)
    {
        _socket = socket;
        Status = status;
        Head = head;
        Early = early;
    }

    /// <summary>The answer's status code.</summary>
    public int Status { get; }

    /// <summary>The answer head as received.</summary>
    public string Head { get; }

    /// <summary>Bytes received after the head in the same reads.</summary>
    public byte[] Early { get; }

    /// <summary>The answer's <c>x-mesh-reason</c>, or null.</summary>
    public string? Reason => Head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("x-mesh-reason", StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();

    /// <summary>Connects to <paramref name="listener"/> and asks for a tunnel to <paramref name="target"/>.</summary>
    public static async Task<TcpTunnelClient> ConnectAsync(Uri listener, string target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(listener.Host, listener.Port).Within();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n")).Within();
        var buffer = new byte[16384];
        var length = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length)).Within();
            Assert.True(read > 0, $"the sidecar closed the connection before answering CONNECT {target} (got: {Encoding.ASCII.GetString(buffer, 0, length)})");
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                return new TcpTunnelClient(socket, status, head, buffer[(end + 4)..length]);
            }
        }
    }

    /// <summary>
    /// What <c>echo data | nc -X connect</c> does: CONNECT, the data and the end of this side in one go, before any
    /// answer; returns everything received (answer head included) until the far side ends.
    /// </summary>
    public static async Task<string> SendAllAtOnceAsync(Uri listener, string target, string data)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(listener.Host, listener.Port).Within();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n{data}")).Within();
        socket.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = await socket.ReceiveAsync(buffer).Within()) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    /// <summary>Sends <paramref name="data"/>, ends this side, and reads everything until the far side ends (early bytes included).</summary>
    public async Task<byte[]> ExchangeAsync(byte[] data)
    {
        var received = new MemoryStream();
        received.Write(Early);
        var reading = ReadToEndAsync(received);
        await _socket.SendAsync(data).Within();
        _socket.Shutdown(SocketShutdown.Send);
        await reading.Within();
        return received.ToArray();
    }

    /// <summary>Sends <paramref name="data"/> and ends this side (the far side may have ended its own already).</summary>
    public async Task SendAndEndAsync(byte[] data)
    {
        await _socket.SendAsync(data).Within();
        _socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Reads until the far side ends the connection (early bytes included).</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var received = new MemoryStream();
        received.Write(Early);
        await ReadToEndAsync(received).Within();
        return received.ToArray();
    }

    private async Task ReadToEndAsync(MemoryStream into)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await _socket.ReceiveAsync(buffer)) > 0)
        {
            into.Write(buffer, 0, read);
        }
    }

    public void Dispose() => _socket.Dispose();
}
