using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Server;

internal sealed partial class GrpcServerCall
{
    /// <summary>
    /// Ends the call with a status: in the trailers after messages, or in the headers
    /// (a trailers-only response) when nothing was sent yet.
    /// </summary>
    public void WriteStatus(GrpcStatusCode status, string? message, IReadOnlyList<Any>? details = null)
    {
        _completed = true;
        WriteStatus(_httpContext.Response, trailersOnly: !_messageWritten && !_httpContext.Response.HasStarted, status, message, details);
    }

    /// <summary>Marks the call finished so late writes from a leaked writer fail loudly.</summary>
    public void Complete() => _completed = true;

    internal static void WriteStatus(HttpResponse response, bool trailersOnly, GrpcStatusCode status, string? message, IReadOnlyList<Any>? details)
    {
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (trailersOnly)
        {
            var headers = response.Headers;
            headers[GrpcProtocol.StatusHeader] = code;
            if (!string.IsNullOrEmpty(message))
            {
                headers[GrpcProtocol.MessageHeader] = GrpcPercentEncoding.Encode(message);
            }

            if (details is { Count: > 0 })
            {
                headers[GrpcProtocol.StatusDetailsHeader] = GrpcStatusDetails.Encode(status, message ?? string.Empty, details);
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, code);
        if (!string.IsNullOrEmpty(message))
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcPercentEncoding.Encode(message));
        }

        if (details is { Count: > 0 })
        {
            response.AppendTrailer(GrpcProtocol.StatusDetailsHeader, GrpcStatusDetails.Encode(status, message ?? string.Empty, details));
        }
    }
}
