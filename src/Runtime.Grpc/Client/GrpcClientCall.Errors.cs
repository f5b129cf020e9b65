using System.Net.Sockets;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Client;

internal sealed partial class GrpcClientCall
{
    /// <summary>Turns a transport exception into the exception the caller sees.</summary>
    private Exception Translate(Exception exception, bool responseStarted)
    {
        if (_callerToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"{_method} was cancelled by the caller.", exception, _callerToken);
        }

        if (_deadlineSource?.IsCancellationRequested == true)
        {
            return DeadlineExceeded(exception);
        }

        if (Find<HttpProtocolException>(exception) is { } reset)
        {
            var status = GrpcStatusMapping.FromHttp2ErrorCode(reset.ErrorCode);
            return new GrpcException(status, $"{_method}: {_client.Target} reset the stream (HTTP/2 error 0x{reset.ErrorCode:X}).", [], exception);
        }

        if (!responseStarted && Find<SocketException>(exception) is { } socket)
        {
            return new GrpcException(GrpcStatusCode.Unavailable, $"cannot reach {_client.Target}: {socket.Message}", [], exception);
        }

        return exception switch
        {
            HttpRequestException when !responseStarted =>
                new GrpcException(GrpcStatusCode.Unavailable, $"cannot reach {_client.Target}: {exception.Message}", [], exception),
            IOException or HttpRequestException =>
                new GrpcException(GrpcStatusCode.Unavailable, $"{_method}: connection to {_client.Target} lost: {exception.Message}", [], exception),
            OperationCanceledException =>
                new GrpcException(GrpcStatusCode.Cancelled, $"{_method} was cancelled.", [], exception),
            _ => new GrpcException(GrpcStatusCode.Internal, $"{_method} failed: {exception.Message}", [], exception),
        };
    }

    private GrpcException DeadlineExceeded(Exception? inner = null) =>
        new(GrpcStatusCode.DeadlineExceeded, $"{_method}: deadline of {_options?.Timeout} exceeded.", [], inner);

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
