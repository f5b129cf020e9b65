using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>
/// A real TCP app on 127.0.0.1, port 0: on each connection it writes "<c>name</c>\n", then echoes every byte back, and
/// when the caller ends its side it ends its own (the half-close a tunnel must carry both ways).
/// </summary>
internal sealed class TcpEchoApp : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    private TcpEchoApp(string name)
    {
        Name = name;
        Greeting = Encoding.ASCII.GetBytes(name + "\n");
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    /// <summary>What the app writes first on every connection.</summary>
    public byte[] Greeting { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections the app accepted.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public static TcpEchoApp Start(string name) => new(name);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = EchoAsync(socket);
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync(Greeting, _stop.Token);
                var buffer = new byte[8192];
                int read;
                while ((read = await socket.ReceiveAsync(buffer, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), _stop.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The test is over or the caller reset.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
