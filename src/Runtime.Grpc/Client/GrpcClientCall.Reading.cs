using System.Net;
using Google.Protobuf;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Client;

internal sealed partial class GrpcClientCall
{
    private (GrpcStatusCode Status, string Message, Google.Rpc.Status? Details)? _trailersOnlyStatus;

    /// <summary>Reads the next response message; at the end checks the status and returns null when OK.</summary>
    public async Task<T?> ReadNextAsync<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        try
        {
            if (_trailersOnlyStatus is { } status)
            {
                ThrowIfNotOk(status);
                return default;
            }

            var stream = _responseStream!;
            var header = new byte[GrpcFrame.HeaderSize];
            var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, Token).ConfigureAwait(false);
            if (read == 0)
            {
                ThrowIfNotOk(ReadStatus(_response!.TrailingHeaders) ?? MissingStatus());
                return default;
            }

            if (read < header.Length)
            {
                throw new GrpcException(GrpcStatusCode.Internal, $"{_method}: the response ended inside a message frame.");
            }

            var (compressed, length) = GrpcFrame.ReadHeader(header);
            if (length > (uint)_client.MaxReceiveMessageSize)
            {
                throw GrpcFrame.MessageTooLarge(length, _client.MaxReceiveMessageSize, "Response");
            }

            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, Token).ConfigureAwait(false);
            return Parse(parser, payload, compressed);
        }
        catch (Exception ex) when (ex is not GrpcException)
        {
            throw Translate(ex, responseStarted: true);
        }
    }

    private T Parse<T>(MessageParser<T> parser, byte[] payload, bool compressed)
        where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            var encoding = HeaderValue(_response!.Headers, GrpcProtocol.EncodingHeader);
            if (!GrpcMessageCompression.IsSupported(encoding))
            {
                throw new GrpcException(GrpcStatusCode.Internal, $"{_method}: the response is compressed with unsupported encoding '{encoding}'.");
            }

            return parser.ParseFrom(GrpcMessageCompression.Decompress(payload, _client.MaxReceiveMessageSize, "Response"));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"{_method}: the response message could not be parsed.", [], ex);
        }
    }

    /// <summary>Checks the response headers: trailers-only status, HTTP status, content type.</summary>
    private void ReadResponseHeaders(HttpResponseMessage response)
    {
        if (ReadStatus(response.Headers) is { } status)
        {
            // Trailers-only: the status came in the only HEADERS frame; HTTP status is irrelevant.
            _trailersOnlyStatus = status;
            return;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            var code = (int)response.StatusCode;
            throw new GrpcException(
                GrpcStatusMapping.FromHttpStatus(code),
                $"{_method}: HTTP {code} {response.ReasonPhrase} from {_client.Target} without a gRPC status.");
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new GrpcException(
                GrpcStatusCode.Unknown,
                $"{_method}: {_client.Target} answered with content-type '{contentType}', not a gRPC response.");
        }
    }

    private static (GrpcStatusCode Status, string Message, Google.Rpc.Status? Details)? ReadStatus(System.Net.Http.Headers.HttpHeaders headers)
    {
        if (HeaderValue(headers, GrpcProtocol.StatusHeader) is not { } value)
        {
            return null;
        }

        // A value that is not one of the defined codes (0-16) is UNKNOWN, as in other gRPC clients;
        // casting it through would hand callers an undefined enum value.
        var known = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            && code <= (int)GrpcStatusCode.Unauthenticated;
        var status = known ? (GrpcStatusCode)code : GrpcStatusCode.Unknown;
        var message = HeaderValue(headers, GrpcProtocol.MessageHeader) is { } encoded ? GrpcPercentEncoding.Decode(encoded) : string.Empty;
        if (!known)
        {
            message = $"invalid grpc-status '{value}'" + (message.Length > 0 ? ": " + message : string.Empty);
        }

        return (status, message, GrpcStatusDetails.Decode(HeaderValue(headers, GrpcProtocol.StatusDetailsHeader)));
    }

    private static string? HeaderValue(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.ToString() : null;

    private (GrpcStatusCode, string, Google.Rpc.Status?) MissingStatus() =>
        (GrpcStatusCode.Unknown, $"{_method}: the response from {_client.Target} ended without grpc-status.", null);

    private static void ThrowIfNotOk((GrpcStatusCode Status, string Message, Google.Rpc.Status? Details) status)
    {
        if (status.Status != GrpcStatusCode.OK)
        {
            throw new GrpcException(status.Status, status.Message, status.Details?.Details.ToArray() ?? [], innerException: null);
        }
    }
}
