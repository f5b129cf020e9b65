using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Building the upstream request: target, version, headers and the streamed body.</summary>
internal sealed partial class HttpForwarder
{
    // The request target goes upstream byte-for-byte: no unescaping, no dot-segment removal.
    private static readonly UriCreationOptions RawTargetOptions = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private static HttpRequestMessage CreateRequestMessage(
        HttpContext context, ForwardRequest request, bool isUpgrade, CancellationToken token, out StreamingRequestContent? streamingContent)
    {
        var incoming = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), BuildTarget(context, request));
        SetVersion(message, incoming.Protocol, request, isUpgrade);
        if (request.Tls is { } tls)
        {
            message.Options.Set(ForwarderClientFactory.TlsOption, tls);
        }

        streamingContent = null;
        if (!isUpgrade)
        {
            if (incoming.ContentLength == 0)
            {
                // Keep an explicit "Content-Length: 0" (the handler adds one only for POST and PUT).
                message.Content = new ByteArrayContent([]);
            }
            else if (CanHaveBody(context))
            {
                streamingContent = new StreamingRequestContent(incoming.Body, token);
                streamingContent.Headers.ContentLength = incoming.ContentLength;
                message.Content = streamingContent;
            }
        }

        CopyRequestHeaders(incoming.Headers, message, isUpgrade);

        var authority = request.Authority ?? incoming.Host.Value;
        if (!string.IsNullOrEmpty(authority))
        {
            message.Headers.TryAddWithoutValidation("Host", authority);
        }

        request.RequestHeaders?.Invoke(new RequestHeaderEditor(message));
        return message;
    }

    private static Uri BuildTarget(HttpContext context, ForwardRequest request)
    {
        var pathAndQuery = request.PathAndQuery ?? IncomingPathAndQuery(context);
        var destination = request.Destination.OriginalString.AsSpan().TrimEnd('/');
        var target = pathAndQuery.StartsWith('/')
            ? string.Concat(destination, pathAndQuery)
            : string.Concat(destination, "/", pathAndQuery);
        return new Uri(target, RawTargetOptions);
    }

    private static string IncomingPathAndQuery(HttpContext context)
    {
        // RawTarget is the request target exactly as the client sent it (origin-form, or :path in HTTP/2).
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/')
        {
            return raw;
        }

        // Absolute-form (a client talking to us as a proxy): fall back to the parsed, re-encoded parts.
        var incoming = context.Request;
        return UriHelper.BuildRelative(incoming.PathBase, incoming.Path, incoming.QueryString);
    }

    private static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);

    private static void SetVersion(HttpRequestMessage message, string incomingProtocol, ForwardRequest request, bool isUpgrade)
    {
        if (isUpgrade)
        {
            // HTTP/1.1 Upgrade exists only in HTTP/1.1.
            message.Version = HttpVersion.Version11;
            message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            return;
        }

        var version = request.Version
            ?? (HttpProtocol.IsHttp2(incomingProtocol) || HttpProtocol.IsHttp3(incomingProtocol) ? HttpVersion.Version20 : HttpVersion.Version11);
        message.Version = version;
        message.VersionPolicy = request.VersionPolicy
            ?? (version.Major >= 2 && request.Destination.Scheme == Uri.UriSchemeHttp
                ? HttpVersionPolicy.RequestVersionExact
                : HttpVersionPolicy.RequestVersionOrLower);
    }

    private static void CopyRequestHeaders(IHeaderDictionary headers, HttpRequestMessage message, bool isUpgrade)
    {
        var connection = headers.Connection;
        var nominated = connection.Count == 0 ? null : HopByHopHeaders.NominatedBy(connection);

        foreach (var (name, values) in headers)
        {
            if (name.Length == 0 || name[0] == ':')
            {
                continue;
            }

            if (HopByHopHeaders.IsHopByHop(name))
            {
                CopyAllowedHopByHop(name, values, message, isUpgrade);
                continue;
            }

            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase)
                || HopByHopHeaders.IsNominated(nominated, name))
            {
                continue;
            }

            if (values.Count == 1)
            {
                var value = values.ToString();
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }
            else if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
    }

    private static void CopyAllowedHopByHop(string name, StringValues values, HttpRequestMessage message, bool isUpgrade)
    {
        if (name.Length == 2)
        {
            // "TE: trailers" is end-to-end in practice: gRPC servers require it.
            if (HopByHopHeaders.AllowsTrailers(values))
            {
                message.Headers.TryAddWithoutValidation("TE", "trailers");
            }
        }
        else if (isUpgrade && string.Equals(name, "Upgrade", StringComparison.OrdinalIgnoreCase))
        {
            message.Headers.TryAddWithoutValidation("Upgrade", (IEnumerable<string?>)values);
            message.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        }
    }
}
