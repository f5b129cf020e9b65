using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// A PeerAuthentication push that makes a port STRICT, seen from connections opened before it: a plaintext
/// keep-alive HTTP/1.1 connection is not served any more (closed on its next request); an mTLS one goes on.
/// Each exchange is written by hand on one socket, so "the same connection" is certain.
/// </summary>
public sealed class MtlsKeepAliveTests
{
    private static string NamespaceMode(string mode) => $"""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: default
        spec:
          mtls:
            mode: {mode}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeepAlive_PlaintextThenPortBecomesStrict_NextRequestRefusedAndConnectionClosed(bool startDisabled)
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        if (startDisabled)
        {
            await mesh.Harness.ApplyAsync(NamespaceMode("DISABLE"));
            await MeshHarness.WaitForConfigAsync(reviews, "DISABLE");
        }

        using var socket = await ConnectAsync(reviews);
        await using var plain = new NetworkStream(socket, ownsSocket: false);
        Assert.Equal("200 reviews xfcc=", await ExchangeAsync(plain, "/before"));

        await mesh.Harness.ApplyAsync(NamespaceMode("STRICT"));
        await MeshHarness.WaitForConfigAsync(reviews, "STRICT");

        var refused = await Record.ExceptionAsync(() => ExchangeAsync(plain, "/after"));
        Assert.True(refused is EndOfStreamException or IOException, $"expected the connection to be closed without a response, got {refused?.Message ?? "a response"}");
        // And the connection is gone, not merely this request: the socket reads end-of-stream (or reset).
        Assert.Equal(0, await ReadToEndAsync(plain));
    }

    [Fact]
    public async Task KeepAlive_H2cConnectionThenPortBecomesStrict_NewStreamNotServed()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews", System.Net.HttpVersion.Version20);
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        var connections = 0;
        using var h2c = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        {
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TestTimeouts.Default,
        };
        using (var before = await h2c.GetAsync(new Uri(reviews.InboundAddress, "/before")))
        {
            Assert.Equal("reviews xfcc=", await before.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, Volatile.Read(ref connections));

        await mesh.Harness.ApplyAsync(NamespaceMode("STRICT"));
        await MeshHarness.WaitForConfigAsync(reviews, "STRICT");

        // The open connection does not serve the new stream (and a retry on a new connection is refused at its start).
        await Assert.ThrowsAsync<HttpRequestException>(() => h2c.GetAsync(new Uri(reviews.InboundAddress, "/after")));
    }

    [Fact]
    public async Task KeepAlive_MtlsAcrossStrictPush_KeepsBeingServed()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        using var caller = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);

        using var socket = await ConnectAsync(reviews);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "reviews.default.svc.cluster.local",
            ClientCertificates = [caller],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, server, _, _) => server is X509Certificate2 leaf && mesh.Ca.Chains(leaf),
        }).WaitAsync(TestTimeouts.Default);
        Assert.StartsWith("200 reviews xfcc=By=", await ExchangeAsync(tls, "/before"), StringComparison.Ordinal);

        await mesh.Harness.ApplyAsync(NamespaceMode("STRICT"));
        await MeshHarness.WaitForConfigAsync(reviews, "STRICT");

        Assert.StartsWith("200 reviews xfcc=By=", await ExchangeAsync(tls, "/after"), StringComparison.Ordinal);
    }

    private static async Task<Socket> ConnectAsync(Runtime.Sidecar.Hosting.RunningSidecar sidecar)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", sidecar.InboundAddress.Port).WaitAsync(TestTimeouts.Default);
        return socket;
    }

    /// <summary>One keep-alive GET on <paramref name="stream"/>: "&lt;status&gt; &lt;body&gt;".</summary>
    private static async Task<string> ExchangeAsync(Stream stream, string path)
    {
        var request = $"GET {path} HTTP/1.1\r\nHost: reviews.default.svc.cluster.local\r\nConnection: keep-alive\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(TestTimeouts.Default);
        await stream.FlushAsync().WaitAsync(TestTimeouts.Default);

        var status = await ReadLineAsync(stream);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = await ReadLineAsync(stream); line.Length > 0; line = await ReadLineAsync(stream))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        Assert.False(headers.TryGetValue("Connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase), $"{path}: the server asked to close the connection");
        var body = new StringBuilder();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            body.Append(Encoding.ASCII.GetString(await ReadExactlyAsync(stream, int.Parse(length, CultureInfo.InvariantCulture))));
        }
        else
        {
            Assert.Equal("chunked", headers["Transfer-Encoding"]);
            for (var size = int.Parse(await ReadLineAsync(stream), NumberStyles.HexNumber, CultureInfo.InvariantCulture); size > 0; size = int.Parse(await ReadLineAsync(stream), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            {
                body.Append(Encoding.ASCII.GetString(await ReadExactlyAsync(stream, size)));
                Assert.Equal("", await ReadLineAsync(stream));
            }

            Assert.Equal("", await ReadLineAsync(stream));
        }

        return $"{status.Split(' ')[1]} {body}";
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one).AsTask().WaitAsync(TestTimeouts.Default) == 0)
            {
                throw new EndOfStreamException($"connection closed after '{line}'");
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TestTimeouts.Default);
        return buffer;
    }

    private static async Task<int> ReadToEndAsync(Stream stream)
    {
        try
        {
            return await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TestTimeouts.Default);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
