using System.Net.Security;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Resilience;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

/// <summary>
/// The forwarder's pooled client against a real HTTPS upstream that answers with the id of the connection each
/// request arrived on: requests share connections exactly when their TLS partitions are equal.
/// </summary>
public sealed class TlsPartitionedHandlerTests
{
    [Fact]
    public async Task Send_EqualPartitionsFromDistinctObjects_ShareConnections()
    {
        await using var setup = await Setup.StartAsync();
        using var client = ForwarderClientFactory.Create(new ForwarderClientOptions());

        var first = await setup.ConnectionAsync(client, setup.Tls("mesh a"));
        var second = await setup.ConnectionAsync(client, setup.Tls("mesh a"));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Send_OtherPartition_NeverReusesAnotherPartitionsConnection()
    {
        await using var setup = await Setup.StartAsync();
        using var client = ForwarderClientFactory.Create(new ForwarderClientOptions());
        var a = setup.Tls("SIMPLE sni a");
        var b = setup.Tls("SIMPLE sni b");

        var onA = await setup.ConnectionAsync(client, a);
        var onB = await setup.ConnectionAsync(client, b);
        var backOnA = await setup.ConnectionAsync(client, setup.Tls("SIMPLE sni a"));
        var backOnB = await setup.ConnectionAsync(client, b);

        Assert.NotEqual(onA, onB);
        Assert.Equal(onA, backOnA);
        Assert.Equal(onB, backOnB);
    }

    [Fact]
    public async Task Send_PartitionUnusedPastIdleTimeout_RetiredWhenAnotherIsCreated()
    {
        await using var setup = await Setup.StartAsync();
        var clock = new OutlierTestClock();
        using var client = ForwarderClientFactory.Create(new ForwarderClientOptions { Time = clock, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) });

        var onA = await setup.ConnectionAsync(client, setup.Tls("a"));
        clock.Advance(TimeSpan.FromMinutes(5));
        await setup.ConnectionAsync(client, setup.Tls("b"));
        var aKept = await setup.ConnectionAsync(client, setup.Tls("a"));
        clock.Advance(TimeSpan.FromMinutes(11));
        await setup.ConnectionAsync(client, setup.Tls("c"));
        var aAfterRetirement = await setup.ConnectionAsync(client, setup.Tls("a"));

        Assert.Equal(onA, aKept);
        Assert.NotEqual(onA, aAfterRetirement);
    }

    [Fact]
    public async Task Send_ConcurrentRoundsAcrossPartitions_EachPartitionKeepsItsOwnConnections()
    {
        await using var setup = await Setup.StartAsync();
        using var client = ForwarderClientFactory.Create(new ForwarderClientOptions());

        // Several concurrent rounds: later rounds reuse pooled connections, which must come from their own partition.
        var seen = new List<(string Partition, string Connection)>();
        for (var round = 0; round < 3; round++)
        {
            seen.AddRange(await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                var partition = i % 2 == 0 ? "even" : "odd";
                return (partition, await setup.ConnectionAsync(client, setup.Tls(partition)));
            })));
        }

        var even = seen.Where(s => s.Partition == "even").Select(s => s.Connection).ToHashSet();
        var odd = seen.Where(s => s.Partition == "odd").Select(s => s.Connection).ToHashSet();
        Assert.Empty(even.Intersect(odd));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Send_PartitionRetiredWhileAResponseStreams_TheResponseCompletes(int major)
    {
        var release = new Gate();
        var started = new Gate();
        await using var setup = await Setup.StartAsync(async context =>
        {
            await context.Response.WriteAsync("first half ");
            await context.Response.Body.FlushAsync();
            started.Open();
            await release.WaitAsync("the test to retire the partition");
            await context.Response.WriteAsync("second half");
        });
        var clock = new OutlierTestClock();
        using var client = ForwarderClientFactory.Create(new ForwarderClientOptions { Time = clock, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{setup.Port}/slow")
        {
            Version = new Version(major, major == 1 ? 1 : 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Options.Set(ForwarderClientFactory.TlsOption, setup.Tls("slow", major));

        using var response = await client.SendAsync(request, CancellationToken.None).Within();
        await started.WaitAsync("the response to start");
        clock.Advance(TimeSpan.FromMinutes(11));
        using var other = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{setup.Port}/other") { Version = request.Version, VersionPolicy = request.VersionPolicy };
        other.Options.Set(ForwarderClientFactory.TlsOption, setup.Tls("other", major));
        var otherResponse = client.SendAsync(other, CancellationToken.None);
        release.Open();
        using var otherAnswer = await otherResponse.Within();

        Assert.Equal("first half second half", await response.Content.ReadAsStringAsync().Within());
        Assert.Equal(major, response.Version.Major);
        Assert.Equal("first half second half", await otherAnswer.Content.ReadAsStringAsync().Within());
    }

    private sealed class Setup : IAsyncDisposable
    {
        private readonly TlsTestCa _ca;
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
        private readonly HttpsUpstream _upstream;

        private Setup(TlsTestCa ca, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, HttpsUpstream upstream)
        {
            _ca = ca;
            _certificate = certificate;
            _upstream = upstream;
        }

        public int Port => _upstream.Port;

        /// <summary>An HTTPS upstream answering with <paramref name="handler"/>, by default the connection's id.</summary>
        public static async Task<Setup> StartAsync(RequestDelegate? handler = null)
        {
            var ca = new TlsTestCa();
            var certificate = ca.IssueServer("external.test");
            var upstream = await HttpsUpstream.StartAsync(certificate, ca, handler ?? (context => context.Response.WriteAsync(context.Connection.Id)));
            return new Setup(ca, certificate, upstream);
        }

        /// <summary>TLS towards the upstream, verified against the test CA, in <paramref name="partition"/>.</summary>
        public UpstreamTls Tls(string partition, int major = 1) => new(partition, _ => new SslClientAuthenticationOptions
        {
            TargetHost = "external.test",
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is System.Security.Cryptography.X509Certificates.X509Certificate2 leaf && _ca.Chains(leaf),
            ApplicationProtocols = [major == 2 ? SslApplicationProtocol.Http2 : SslApplicationProtocol.Http11],
        });

        /// <summary>Sends GET over http:// (TLS layered by the client) and returns the upstream's connection id.</summary>
        public async Task<string> ConnectionAsync(HttpMessageInvoker client, UpstreamTls tls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_upstream.Port}/");
            request.Options.Set(ForwarderClientFactory.TlsOption, tls);
            using var response = await client.SendAsync(request, CancellationToken.None).Within();
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _upstream.DisposeAsync();
            _certificate.Dispose();
            _ca.Dispose();
        }
    }
}
