namespace Runtime.Sidecar.Security;

/// <summary>
/// A connection feature of a transport whose sending side can be ended on its own (a half-close): the peer sees the
/// end of the stream while it may still send. The inbound mTLS termination offers it as a TLS <c>close_notify</c>.
/// </summary>
internal interface ITransportHalfClose
{
    /// <summary>Sends what is pending, then ends the sending side; the caller writes nothing afterwards.</summary>
    ValueTask ShutdownSendAsync();
}
