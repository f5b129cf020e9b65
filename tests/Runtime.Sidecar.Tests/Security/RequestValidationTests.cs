using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Http;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Tests.Security;

public sealed class RequestValidationTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("POST", true)]
    [InlineData("M-SEARCH", true)]
    [InlineData("PROPFIND", true)]
    [InlineData("get", false)]
    [InlineData("Get", false)]
    [InlineData("gET", false)]
    [InlineData("GE T", false)]
    [InlineData("GET\u0000", false)]
    [InlineData("", false)]
    public void CheckMethod_Method_OnlyUpperCaseTokens(string method, bool accepted)
    {
        Assert.Equal(accepted, RequestValidation.CheckMethod(method) is null);
    }

    [Theory]
    [InlineData("x-user", true)]
    [InlineData("x user", false)]
    [InlineData("x-user\t", false)]
    [InlineData("x\u0001", false)]
    [InlineData("x:y", false)]
    public void CheckHeaderNames_Name_OnlyTokens(string name, bool accepted)
    {
        var headers = new HeaderDictionary { [name] = "v" };

        Assert.Equal(accepted, RequestValidation.CheckHeaderNames(headers) is null);
    }

    [Fact]
    public void TryCreate_ValidRequest_KeepsTheCanonicalRequestAsAFeature()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Host = new HostString("Reviews.:9080");
        context.Request.Path = "/public/../admin";
        context.Request.QueryString = new QueryString("?x=1");

        var canonical = CanonicalRequest.TryCreate(context, CanonicalPathMode.Strict, out var problem);

        Assert.Null(problem);
        Assert.Same(canonical, CanonicalRequest.Get(context));
        Assert.Equal("/admin", canonical!.Path);
        Assert.Equal("x=1", canonical.Query);
        Assert.Equal("/admin?x=1", canonical.PathAndQuery);
        Assert.Equal("reviews", canonical.Host);
    }

    [Fact]
    public void Get_InvalidRequest_Throws()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "get";
        context.Request.Path = "/a";

        var error = Assert.Throws<InvalidOperationException>(() => CanonicalRequest.Get(context));
        Assert.Contains("'get'", error.Message, StringComparison.Ordinal);
    }
}
