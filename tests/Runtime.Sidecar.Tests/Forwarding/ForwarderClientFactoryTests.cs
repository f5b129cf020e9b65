using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class ForwarderClientFactoryTests
{
    [Fact]
    public void Create_DefaultOptions_ReturnsClient()
    {
        using var client = ForwarderClientFactory.Create(new ForwarderClientOptions());

        Assert.NotNull(client);
    }

    [Fact]
    public void Create_SeveralInvalidOptions_ReportsEveryOne()
    {
        var error = Assert.Throws<ArgumentException>(() => ForwarderClientFactory.Create(new ForwarderClientOptions
        {
            ConnectTimeout = TimeSpan.Zero,
            MaxConnectionsPerServer = 0,
        }));

        Assert.Contains("ConnectTimeout", error.Message);
        Assert.Contains("MaxConnectionsPerServer", error.Message);
    }
}
