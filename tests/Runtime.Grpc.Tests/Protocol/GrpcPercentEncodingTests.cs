using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Tests.Protocol;

public sealed class GrpcPercentEncodingTests
{
    [Theory]
    [InlineData("plain ASCII ~!", "plain ASCII ~!")]
    [InlineData("100%", "100%25")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("é", "%C3%A9")]
    [InlineData("/path?x=1&y", "/path?x=1&y")]
    public void Encode_OnlyBytesOutsidePrintableAsciiAndPercent_AreEscaped(string value, string expected) =>
        Assert.Equal(expected, GrpcPercentEncoding.Encode(value));

    [Theory]
    [InlineData("%C3%A9t%c3%a9", "été")]
    [InlineData("bad %G1 and trailing %4", "bad %G1 and trailing %4")]
    [InlineData("no escapes", "no escapes")]
    public void Decode_ValidAndMalformedSequences_DecodesLeniently(string value, string expected) =>
        Assert.Equal(expected, GrpcPercentEncoding.Decode(value));

    [Theory]
    [InlineData("multi\r\nline\ttext")]
    [InlineData("ünïcödé 🚀 50%")]
    public void EncodeThenDecode_AnyText_RoundTrips(string value) =>
        Assert.Equal(value, GrpcPercentEncoding.Decode(GrpcPercentEncoding.Encode(value)));
}
