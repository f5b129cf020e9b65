using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Server;

/// <summary>
/// Runs one gRPC call on an HTTP/2 request: checks protocol and content type, applies the deadline,
/// invokes the method handler and maps its outcome to a gRPC status.
/// </summary>
internal sealed partial class GrpcCallInvoker(IOptions<GrpcServerOptions> options, TimeProvider timeProvider, ILogger<GrpcCallInvoker> logger)
{
    private const string InternalErrorMessage = "Exception was thrown by handler.";

    public async Task InvokeAsync(HttpContext httpContext, string method, GrpcMethodHandler? handler)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            Reject(response, StatusCodes.Status426UpgradeRequired, $"Request protocol {request.Protocol} is not supported; gRPC needs HTTP/2.");
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            Reject(response, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported; use application/grpc.");
            return;
        }

        LiftHttpLimits(httpContext);
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;

        TimeSpan? timeout = null;
        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (GrpcTimeout.TryParse(timeoutHeader, out var parsed))
            {
                timeout = parsed;
            }
            else
            {
                LogInvalidTimeout(method, timeoutHeader);
            }
        }

        using var call = new GrpcServerCall(httpContext, method, options.Value, timeout, timeProvider);
        if (handler is null)
        {
            call.WriteStatus(GrpcStatusCode.Unimplemented, $"Method {method} is not implemented by this server.");
            return;
        }

        try
        {
            await handler.HandleAsync(call).ConfigureAwait(false);
            if (call.DeadlineExceeded)
            {
                LogDeadlineExceeded(method, timeout);
                call.WriteStatus(GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.");
            }
            else
            {
                call.WriteStatus(GrpcStatusCode.OK, message: null);
            }
        }
        catch (Exception ex) when (httpContext.RequestAborted.IsCancellationRequested || ex is GrpcStreamAbortedException)
        {
            // The client reset the stream or went away: nobody can read a status; not an error.
            LogCancelledByClient(method);
        }
        catch (Exception ex) when (ex is not GrpcException && call.DeadlineExceeded)
        {
            LogDeadlineExceeded(method, timeout);
            call.WriteStatus(GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        catch (GrpcException ex)
        {
            LogStatus(method, ex.Status, ex.Message);
            call.WriteStatus(ex.Status, ex.Message, ex.Details);
        }
        catch (OperationCanceledException ex)
        {
            // Cancelled by something of the server's own (e.g. shutdown), not the client or the deadline.
            LogStatus(method, GrpcStatusCode.Cancelled, ex.Message);
            call.WriteStatus(GrpcStatusCode.Cancelled, "The call was cancelled by the server.");
        }
#pragma warning disable CA1031 // Any handler failure must become INTERNAL, never a broken stream.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, method);
            call.WriteStatus(GrpcStatusCode.Internal, InternalErrorMessage);
        }
        finally
        {
            call.Complete();
        }
    }

    private static void Reject(HttpResponse response, int httpStatus, string message)
    {
        response.StatusCode = httpStatus;
        response.ContentType = GrpcProtocol.ContentType;
        GrpcServerCall.WriteStatus(response, trailersOnly: true, GrpcStatusCode.Internal, message, details: null);
    }

    private static void LiftHttpLimits(HttpContext httpContext)
    {
        // Streams may be long-lived and large; gRPC enforces its own per-message limit instead.
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }
    }
}
