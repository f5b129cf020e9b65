using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>A route with fault injection costs the requests that are not faulted nothing (hot path).</summary>
public sealed class ReviewFaultInjectionTests
{
    [Fact]
    public void ApplyAsync_RequestNotSampled_AllocatesNothingAndGoesOn()
    {
        // An abort without a percentage never fires (as Istio), but the policy exists and is consulted per request.
        var fault = FaultPolicy.Compile(new HttpFaultInjection { Abort = new FaultAbort { HttpStatus = 503 } })!;
        var context = new DefaultHttpContext();
        var cluster = new ClusterKey("reviews.default.svc.cluster.local", "v2", 9080);
        Assert.False(Apply(fault, context, cluster));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Apply(fault, context, cluster);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(200, context.Response.StatusCode);
    }

    private static bool Apply(FaultPolicy fault, HttpContext context, ClusterKey cluster)
    {
        var result = FaultInjection.ApplyAsync(context, fault, cluster, NullLogger.Instance);
        return result.IsCompletedSuccessfully ? result.Result : throw new InvalidOperationException("a request that is not faulted must go on at once");
    }
}
