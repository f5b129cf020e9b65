using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Runtime.Sidecar.Tests.Forwarding;

/// <summary>Upstream request handlers shared by the forwarding tests.</summary>
internal static class UpstreamHandlers
{
    /// <summary>Answers with what the upstream received: the raw target, protocol and each header as "name: value".</summary>
    public static async Task EchoRequestAsync(HttpContext context)
    {
        var text = new StringBuilder()
            .Append("target: ").Append(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget).Append('\n')
            .Append("protocol: ").Append(context.Request.Protocol).Append('\n');
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                text.Append(name.ToLowerInvariant()).Append(": ").Append(value).Append('\n');
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        context.Response.ContentLength = bytes.Length;
        context.Response.ContentType = "text/plain";
        await context.Response.Body.WriteAsync(bytes);
    }

    /// <summary>Parses <see cref="EchoRequestAsync"/>'s answer into (name, value) lines.</summary>
    public static ILookup<string, string> ParseEcho(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToLookup(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
}
