using System.Globalization;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security.Authorization;
using Runtime.Sidecar.Security.Jwt;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// Mesh → app: forwards to the application on 127.0.0.1:<c>--app-port</c>, adding <c>x-forwarded-for</c>,
/// <c>x-forwarded-proto</c> and an <c>x-request-id</c> when absent, after the request passed the canonical-path
/// checks, RequestAuthentication and AuthorizationPolicy.
/// </summary>
internal sealed class InboundProxy(SidecarOptions options, IHttpForwarder forwarder, InboundAuthorization authorization, JwtAuthenticator? jwt = null)
{
    private readonly Uri? _app = options.AppPort is int port ? new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")) : null;

    public async Task HandleAsync(HttpContext context)
    {
        // The pipeline, in order: one canonical request (400 when it cannot be had), then the request's JWT (401),
        // then AuthorizationPolicy on that same canonical path and host (403), then the app. Nothing is decided on
        // the raw target.
        if (CanonicalRequest.TryCreate(context, options.PathNormalization, out var invalid) is not { } canonical)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status400BadRequest, MeshReasons.BadRequest, invalid!, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // JWT (RequestAuthentication): 401 for a bad token; a valid one sets the RequestAuthentication feature.
        if (jwt is not null && await jwt.AuthenticateAsync(context).ConfigureAwait(false) is not null)
        {
            await JwtAuthenticator.WriteRejectionAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await authorization.AuthorizeAsync(context).ConfigureAwait(false))
        {
            return;
        }

        if (_app is null)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoHealthyUpstream, $"{options.Service} has no application behind its sidecar (no --app-port)", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var client = context.Connection.RemoteIpAddress?.ToString();
        // h2UpgradePolicy UPGRADE made the caller's sidecar send an HTTP/1.1 request as h2c: the app gets HTTP/1.1.
        var upgraded = context.Request.Headers.ContainsKey(MeshHeaders.UpgradedFromHttp1);
        // mTLS (issue 5): the app learns the caller only from a verified connection; an incoming XFCC is never trusted.
        var forwardedClientCert = TlsPeerConnection.Of(context)?.ForwardedClientCert;
        var request = new ForwardRequest
        {
            Destination = _app,
            // The canonical path, and the query as it stands now: RequestAuthentication may have removed its token.
            PathAndQuery = canonical.Path + context.Request.QueryString.Value,
            Version = upgraded ? System.Net.HttpVersion.Version11 : null,
            RequestHeaders = editor =>
            {
                editor.Remove(MeshHeaders.UpgradedFromHttp1);
                editor.Remove(Metrics.PeerMetadata.HeaderName); // metadata exchange (issue 6): for the sidecar only
                editor.Remove(TlsForwardedClientCert.HeaderName);
                if (forwardedClientCert is not null)
                {
                    editor.Set(TlsForwardedClientCert.HeaderName, forwardedClientCert);
                }

                RequestHeaderOps.EnsureRequestId(editor);
                if (client is not null)
                {
                    editor.Add("x-forwarded-for", client);
                }

                // Keep what an ingress in front already said (https); this hop itself is plain http.
                if (editor.Get("x-forwarded-proto").Count == 0)
                {
                    editor.Set("x-forwarded-proto", context.Request.Scheme);
                }
            },
        };

        var result = await forwarder.ForwardAsync(context, request, context.RequestAborted).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            await ForwardErrorWriter.TryWriteAsync(context, result, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
