using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Tests.Protocol;

public sealed class GrpcStatusDetailsTests
{
    [Fact]
    public void Encode_ThenDecodePaddedOrUnpadded_RoundTripsStatus()
    {
        var detail = Any.Pack(new ErrorInfo { Reason = "CONFLICT", Domain = "mesh" });
        var encoded = GrpcStatusDetails.Encode(GrpcStatusCode.Aborted, "conflict", [detail]);

        Assert.DoesNotContain('=', encoded);
        var padded = encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '=');
        foreach (var value in new[] { encoded, padded })
        {
            var status = GrpcStatusDetails.Decode(value);
            Assert.NotNull(status);
            Assert.Equal((int)GrpcStatusCode.Aborted, status.Code);
            Assert.Equal("conflict", status.Message);
            Assert.Equal("CONFLICT", status.Details.Single().Unpack<ErrorInfo>().Reason);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    public void Decode_Garbage_ReturnsNull(string? value) => Assert.Null(GrpcStatusDetails.Decode(value));

    [Fact]
    public void GrpcException_StatusOk_Rejected() =>
        Assert.Throws<ArgumentException>(() => new GrpcException(GrpcStatusCode.OK, "fine"));
}
