using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Tcp;

/// <summary>The answers a sidecar gives to a CONNECT: the tunnel is up, or why it is not (with <c>x-mesh-reason</c>).</summary>
internal static class TcpTunnelAnswer
{
    private static readonly byte[] Established = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();

    /// <summary>Answers 200: from now on the connection carries the tunnel's bytes.</summary>
    public static async ValueTask EstablishedAsync(Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteAsync(Established, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers <paramref name="status"/> with the mesh's <paramref name="reason"/> word and a plain-text
    /// <paramref name="message"/>, then the connection is to be closed. Never throws for a peer already gone.
    /// </summary>
    public static async ValueTask RefuseAsync(PipeWriter output, int status, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\n{ForwardErrorWriter.ReasonHeader}: {reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {body.Length}\r\nconnection: close\r\n\r\n");
        try
        {
            await output.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The peer left first: nothing to tell it.
        }
    }
}
