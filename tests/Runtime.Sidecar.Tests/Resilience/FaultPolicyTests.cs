using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Tests.Resilience;

public sealed class FaultPolicyTests
{
    [Fact]
    public void Compile_DelayAndAbort_AreCarried()
    {
        var policy = FaultPolicy.Compile(new HttpFaultInjection
        {
            Delay = new FaultDelay { FixedDelay = Duration("5s"), Percentage = new Percent { Value = 12.5 } },
            Abort = new FaultAbort { HttpStatus = 503, Percentage = new Percent { Value = 30 } },
        })!;

        Assert.Equal(TimeSpan.FromSeconds(5), policy.Delay);
        Assert.Equal(12.5, policy.DelayPercent);
        Assert.Equal(503, policy.AbortHttpStatus);
        Assert.Equal(30, policy.AbortPercent);
    }

    [Fact]
    public void Compile_DeprecatedPercent_UsedWhenPercentageIsAbsent()
    {
        var policy = FaultPolicy.Compile(new HttpFaultInjection { Delay = new FaultDelay { FixedDelay = Duration("1s"), Percent = 40 } })!;

        Assert.Equal(40, policy.DelayPercent);
    }

    [Fact]
    public void Compile_NoPercentage_InjectsNothingAndWarns()
    {
        var warnings = new List<string>();

        var policy = FaultPolicy.Compile(
            new HttpFaultInjection { Delay = new FaultDelay { FixedDelay = Duration("1s") }, Abort = new FaultAbort { HttpStatus = 500 } },
            (field, _, _) => warnings.Add(field))!;

        Assert.Equal(0, policy.DelayPercent);
        Assert.Equal(0, policy.AbortPercent);
        Assert.False(policy.SampleDelay());
        Assert.False(policy.SampleAbort());
        Assert.Equal(["delay.percentage", "abort.percentage"], warnings);
    }

    [Theory]
    [InlineData("UNAVAILABLE", 14)]
    [InlineData("unavailable", 14)]
    [InlineData("DEADLINE_EXCEEDED", 4)]
    [InlineData("8", 8)]
    [InlineData("OK", 0)]
    public void ParseGrpcStatus_NamesAndCodes(string text, int expected)
    {
        Assert.Equal(expected, FaultPolicy.ParseGrpcStatus(text));
    }

    [Fact]
    public void Compile_UnknownGrpcStatus_IgnoredWithWarning()
    {
        var warnings = new List<string>();

        var policy = FaultPolicy.Compile(new HttpFaultInjection { Abort = new FaultAbort { GrpcStatus = "NOPE", Percentage = new Percent { Value = 100 } } }, (field, _, _) => warnings.Add(field));

        Assert.Null(policy);
        Assert.Equal(["abort.grpcStatus"], warnings);
    }

    [Fact]
    public void Sample_HundredAndZeroPercent_AlwaysAndNever()
    {
        var always = FaultPolicy.Compile(new HttpFaultInjection { Abort = new FaultAbort { HttpStatus = 500, Percentage = new Percent { Value = 100 } } })!;
        var never = FaultPolicy.Compile(new HttpFaultInjection { Abort = new FaultAbort { HttpStatus = 500, Percentage = new Percent { Value = 0 } } })!;

        Assert.All(Enumerable.Range(0, 200), _ => Assert.True(always.SampleAbort()));
        Assert.All(Enumerable.Range(0, 200), _ => Assert.False(never.SampleAbort()));
    }

    private static MeshDuration Duration(string text) => MeshDuration.TryParse(text, out var d) ? d : throw new ArgumentException(text);
}
