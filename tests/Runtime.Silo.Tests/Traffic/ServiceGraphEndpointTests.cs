using Microsoft.Extensions.Primitives;
using Runtime.Silo.Traffic;

namespace Runtime.Silo.Tests.Traffic;

public sealed class ServiceGraphEndpointTests
{
    [Theory]
    [InlineData("5", 5)]
    [InlineData("600", 600)]
    [InlineData("30", 30)]
    public void ParseWindow_WholeSecondsInRange_Taken(string text, int expected) =>
        Assert.Equal(expected, ServiceGraphEndpoint.ParseWindow(new StringValues(text)));

    [Fact]
    public void ParseWindow_Absent_Default30() => Assert.Equal(30, ServiceGraphEndpoint.ParseWindow(StringValues.Empty));

    [Theory]
    [InlineData("4")]
    [InlineData("601")]
    [InlineData("-5")]
    [InlineData("30s")]
    [InlineData("1.5")]
    [InlineData("")]
    public void ParseWindow_OutOfRangeOrNotWholeSeconds_Null(string text) =>
        Assert.Null(ServiceGraphEndpoint.ParseWindow(new StringValues(text)));

    [Fact]
    public void ParseWindow_Twice_Null() => Assert.Null(ServiceGraphEndpoint.ParseWindow(new StringValues(["30", "60"])));
}
