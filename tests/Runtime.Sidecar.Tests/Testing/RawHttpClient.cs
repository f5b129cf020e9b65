using System.Net.Sockets;
using System.Text;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>
/// Sends a hand-written HTTP/1.1 request over a socket and reads one response: byte-exact request targets and
/// headers HttpClient would normalise or refuse. Responses must carry Content-Length.
/// </summary>
internal static class RawHttpClient
{
    public static async Task<RawHttpResponse> SendAsync(Uri address, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port).Within();
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).Within();

        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer).AsTask().Within();
            received.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var response = RawHttpResponse.Parse(text);
                var length = int.Parse(response.Values("content-length").Single(), System.Globalization.CultureInfo.InvariantCulture);
                if (received.Count - Encoding.UTF8.GetByteCount(text[..(end + 4)]) >= length)
                {
                    return response;
                }
            }

            Assert.True(read > 0, "The connection closed before a complete response:\n" + text);
        }
    }
}

/// <summary>A parsed HTTP/1.1 response; header names lower-cased, repeated headers kept in order.</summary>
internal sealed record RawHttpResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public static RawHttpResponse Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "No complete response head in:\n" + text);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Select(p => KeyValuePair.Create(p[0].Trim().ToLowerInvariant(), p[1].Trim()))
            .ToList();
        return new RawHttpResponse(status, headers, text[(end + 4)..]);
    }
}
