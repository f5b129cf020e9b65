using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// The head of an HTTP/1.1 <c>CONNECT host:port</c> request: the target and the headers. Read from a connection's
/// pipe, consuming exactly the head, so every byte after it belongs to the tunnel.
/// </summary>
/// <param name="Host">The target host (brackets of an IPv6 literal removed).</param>
/// <param name="Port">The target port.</param>
/// <param name="Headers">The request headers.</param>
internal sealed record TcpConnectHead(string Host, int Port, IHeaderDictionary Headers)
{
    /// <summary>The longest head read; longer ones are refused.</summary>
    public const int MaxLength = 8192;

    private static readonly byte[] End = "\r\n\r\n"u8.ToArray();

    /// <summary>The target as <c>host:port</c>.</summary>
    public string Authority => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a head from <paramref name="input"/>; null with the problem when it is malformed, too long or cut short.</summary>
    public static async ValueTask<(TcpConnectHead? Head, string? Problem)> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (FindEnd(buffer) is { } end)
            {
                var text = Encoding.Latin1.GetString(buffer.Slice(0, end));
                input.AdvanceTo(buffer.GetPosition(end + End.Length));
                var head = Parse(text, out var problem);
                return (head, problem);
            }

            if (buffer.Length > MaxLength)
            {
                input.AdvanceTo(buffer.End);
                return (null, $"the CONNECT request head is longer than {MaxLength} bytes");
            }

            if (read.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return (null, "the connection ended before the CONNECT request head did");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Parses a head (without its final empty line); null with <paramref name="problem"/> when malformed.</summary>
    internal static TcpConnectHead? Parse(string text, out string? problem)
    {
        var lines = text.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0] != "CONNECT" || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            problem = $"the request line '{Printable(lines[0])}' is not 'CONNECT host:port HTTP/1.1'";
            return null;
        }

        if (!TrySplitAuthority(parts[1], out var host, out var port))
        {
            problem = $"the CONNECT target '{Printable(parts[1])}' is not host:port with a port from 1 to 65535";
            return null;
        }

        var headers = new HeaderDictionary();
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || lines[i][..colon].Any(c => c <= ' ' || c >= 0x7F))
            {
                problem = $"header line {i} of the CONNECT request ('{Printable(lines[i])}') is not 'name: value'";
                return null;
            }

            headers.Append(lines[i][..colon], lines[i][(colon + 1)..].Trim(' ', '\t'));
        }

        problem = null;
        return new TcpConnectHead(host, port, headers);
    }

    /// <summary>Splits <c>host:port</c> (<c>[v6]:port</c> for IPv6 literals).</summary>
    internal static bool TrySplitAuthority(string authority, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = authority[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return host.Length > 0 && !host.Any(c => c <= ' ' || c >= 0x7F || c is '/' or '@' or '[' or ']');
    }

    private static long? FindEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, End, advancePastDelimiter: false) ? before.Length : null;
    }

    private static string Printable(string value) =>
        new([.. value.Take(200).Select(c => c is < ' ' or > '~' ? '?' : c)]);
}
