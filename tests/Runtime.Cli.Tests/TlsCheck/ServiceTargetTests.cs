using Runtime.Cli.TlsCheck;

namespace Runtime.Cli.Tests.TlsCheck;

public sealed class ServiceTargetTests
{
    [Theory]
    [InlineData("reviews", null, "reviews", null, null)]
    [InlineData("reviews", "bookinfo", "reviews", "bookinfo", null)]
    [InlineData("reviews.bookinfo", null, "reviews", "bookinfo", null)]
    [InlineData("Reviews.Bookinfo.svc", null, "reviews", "bookinfo", null)]
    [InlineData("reviews.bookinfo.svc.cluster.local", "bookinfo", "reviews", "bookinfo", null)]
    [InlineData("reviews.bookinfo.svc.cluster.local.:9080", null, "reviews", "bookinfo", 9080)]
    [InlineData("reviews:9080", null, "reviews", null, 9080)]
    public void Parse_KubectlAndIstioctlForms_NameNamespacePort(string text, string? flag, string name, string? ns, int? port) =>
        Assert.Equal(new ServiceTarget(name, ns, port), ServiceTarget.Parse(text, flag));

    [Theory]
    [InlineData("reviews.bookinfo", "default", "-n says default")]
    [InlineData("reviews:http", null, "port after ':'")]
    [InlineData("reviews:0", null, "port after ':'")]
    [InlineData("api.example.com", null, "is not a mesh service")]
    [InlineData("re_views", null, "is not a mesh service")]
    public void Parse_Invalid_ClearError(string text, string? flag, string message)
    {
        var error = Assert.Throws<CliException>(() => ServiceTarget.Parse(text, flag));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
