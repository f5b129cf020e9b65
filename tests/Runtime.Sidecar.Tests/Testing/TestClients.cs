using System.Net;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>Downstream clients over real sockets: HTTP/1.1, or HTTP/2 with prior knowledge (h2c).</summary>
internal static class TestClients
{
    public static HttpClient Http1(Uri address) => Create(address, HttpVersion.Version11);

    public static HttpClient H2c(Uri address) => Create(address, HttpVersion.Version20);

    /// <summary>A request pinned to HTTP/2 (HttpClient's default version applies only to requests it creates itself).</summary>
    public static HttpRequestMessage H2Request(HttpMethod method, string path, HttpContent? content = null) =>
        new(method, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };

    private static HttpClient Create(Uri address, Version version) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false, ActivityHeadersPropagator = null })
        {
            BaseAddress = address,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

    /// <summary>Reads exactly <paramref name="count"/> bytes, failing on a premature end.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().Within();
        return buffer;
    }
}
