namespace Runtime.Grpc.Server;

/// <summary>Writes the messages of a server-streaming response.</summary>
/// <typeparam name="T">The response message type.</typeparam>
/// <remarks>Not safe for concurrent use: await each write before starting the next.</remarks>
public interface IGrpcStreamWriter<in T>
{
    /// <summary>Writes one message and flushes it to the client as one frame.</summary>
    /// <param name="message">The message to send.</param>
    /// <param name="cancellationToken">Cancels the write; the call's own token always applies too.</param>
    /// <returns>A task that completes when the message has been flushed.</returns>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
