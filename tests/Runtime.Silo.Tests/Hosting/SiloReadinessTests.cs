using Runtime.Silo.Hosting;

namespace Runtime.Silo.Tests.Hosting;

public sealed class SiloReadinessTests
{
    [Fact]
    public void NotReadyReason_FollowsStages()
    {
        var readiness = new SiloReadiness();
        Assert.Equal("config store not open yet", readiness.NotReadyReason);
        readiness.StoreOpened();
        Assert.Equal("management API not mapped yet", readiness.NotReadyReason);
        readiness.ApiMapped();
        Assert.Null(readiness.NotReadyReason);
        readiness.Stopping();
        Assert.Equal("shutting down", readiness.NotReadyReason);
    }
}
