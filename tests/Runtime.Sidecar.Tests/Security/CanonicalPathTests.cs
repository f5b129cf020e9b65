using Runtime.Abstractions.Http;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The canonical path every step of the sidecar reads. Each case is a raw request target and either the canonical
/// path it must become or "400" (refused). Tricks from Istio's path-normalization bulletins and Tomcat's ";" handling.
/// </summary>
public sealed class CanonicalPathTests
{
    private const string Refused = "400";

    [Theory]
    // Already canonical.
    [InlineData("/", "/")]
    [InlineData("/admin", "/admin")]
    [InlineData("/admin/", "/admin/")]
    [InlineData("/a/b/c", "/a/b/c")]
    [InlineData("/.well-known/x", "/.well-known/x")]
    [InlineData("/a/.../b", "/a/.../b")]
    [InlineData("/a/..b/c.", "/a/..b/c.")]
    [InlineData("/a:b@c!$&'()*+,=", "/a:b@c!$&'()*+,=")]
    [InlineData("/a;b=c", "/a;b=c")]
    // Paths are case-sensitive.
    [InlineData("/Admin", "/Admin")]
    [InlineData("/ADMIN/x", "/ADMIN/x")]
    // Unreserved characters decoded once.
    [InlineData("/%61dmin", "/admin")]
    [InlineData("/%41dmin", "/Admin")]
    [InlineData("/%7e%5F%2d%30", "/~_-0")]
    [InlineData("/a%2eb", "/a.b")]
    // Encoded slashes and backslashes (both cases) become separators.
    [InlineData("/public%2Fadmin", "/public/admin")]
    [InlineData("/public%2fadmin", "/public/admin")]
    [InlineData("/public%5Cadmin", "/public/admin")]
    [InlineData("/public%5cadmin", "/public/admin")]
    [InlineData("/public\\admin", "/public/admin")]
    [InlineData("\\admin", Refused)]
    // Dot segments, raw and encoded.
    [InlineData("/./admin", "/admin")]
    [InlineData("/public/../admin", "/admin")]
    [InlineData("/public/..%2Fadmin", "/admin")]
    [InlineData("/public/..%2fadmin", "/admin")]
    [InlineData("/public/..%5Cadmin", "/admin")]
    [InlineData("/public/..\\admin", "/admin")]
    [InlineData("/public/%2e%2e/admin", "/admin")]
    [InlineData("/public/%2E%2E/admin", "/admin")]
    [InlineData("/public/.%2e/admin", "/admin")]
    [InlineData("/public/%2e/admin", "/public/admin")]
    [InlineData("/public%2F%2E%2E%2Fadmin", "/admin")]
    [InlineData("/../admin", "/admin")]
    [InlineData("/../../../admin", "/admin")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/..", "/")]
    [InlineData("/.", "/")]
    // Slashes merged.
    [InlineData("//admin", "/admin")]
    [InlineData("///admin//x", "/admin/x")]
    [InlineData("/%2F/admin", "/admin")]
    [InlineData("/a//..//admin", "/admin")]
    // Fragments dropped, query kept apart.
    [InlineData("/admin#x", "/admin")]
    [InlineData("/public#/../admin", "/public")]
    [InlineData("/admin?x=/../y", "/admin")]
    [InlineData("/p%3Fx=1", "/p%3Fx=1")]
    [InlineData("/p%23x", "/p%23x")]
    // No double decoding; reserved encodings kept with upper-case hex.
    [InlineData("/%252F", "/%252F")]
    [InlineData("/%252e%252e/admin", "/%252e%252e/admin")]
    [InlineData("/a%3fb", "/a%3Fb")]
    [InlineData("/a%25", "/a%25")]
    [InlineData("/a%20b", "/a%20b")]
    // Non-ASCII and characters a path may not hold are encoded as UTF-8.
    [InlineData("/caf\u00e9", "/caf%C3%A9")]
    [InlineData("/caf%C3%A9", "/caf%C3%A9")]
    [InlineData("/caf%c3%a9", "/caf%C3%A9")]
    [InlineData("/\U0001F600", "/%F0%9F%98%80")]
    [InlineData("/a\"<>b", "/a%22%3C%3Eb")]
    [InlineData("/%C0%AE%C0%AE/admin", "/%C0%AE%C0%AE/admin")]
    // NUL and control characters, raw or encoded.
    [InlineData("/admin%00", Refused)]
    [InlineData("/admin%00.html", Refused)]
    [InlineData("/a%0d%0aSet-Cookie:x", Refused)]
    [InlineData("/a%1F", Refused)]
    [InlineData("/a%7f", Refused)]
    [InlineData("/a\u0001b", Refused)]
    [InlineData("/a\tb", Refused)]
    [InlineData("/a b", Refused)]
    [InlineData("/admin?x=%00", Refused)]
    // Invalid percent-encodings.
    [InlineData("/%zz", Refused)]
    [InlineData("/%4", Refused)]
    [InlineData("/a%", Refused)]
    [InlineData("/%%32%65", Refused)]
    [InlineData("/%u002e", Refused)]
    // ';' parameters on dot segments (Tomcat).
    [InlineData("/public/..;/admin", Refused)]
    [InlineData("/..;/admin", Refused)]
    [InlineData("/.;x/admin", Refused)]
    [InlineData("/public/..;jsessionid=1/admin", Refused)]
    [InlineData("/public/%2e%2e;/admin", Refused)]
    [InlineData("/public/..%3B/admin", Refused)]
    [InlineData("/public/..%3b/admin", Refused)]
    [InlineData("/public/..;", Refused)]
    [InlineData("/admin;x", "/admin;x")]
    [InlineData("/a;b/..", "/")]
    // Empty, '*', absolute-form and other target forms.
    [InlineData("", "/")]
    [InlineData("*", "*")]
    [InlineData("http://reviews/admin", "/admin")]
    [InlineData("HTTP://reviews:9080//public/..%2Fadmin?x=1", "/admin")]
    [InlineData("https://reviews", "/")]
    [InlineData("http://reviews?x=1", "/")]
    [InlineData("reviews:443", Refused)]
    [InlineData("admin", Refused)]
    public void Normalize_StrictMode_CanonicalPathOr400(string raw, string expected)
    {
        var result = CanonicalPath.Normalize(raw);

        if (expected == Refused)
        {
            Assert.False(result.IsValid, $"'{raw}' was accepted as '{result.Path}'");
            Assert.False(string.IsNullOrWhiteSpace(result.Problem));
        }
        else
        {
            Assert.True(result.IsValid, $"'{raw}' was refused: {result.Problem}");
            Assert.Equal(expected, result.Path);
        }
    }

    [Fact]
    public void Normalize_CanonicalPathWithoutQuery_ReturnsTheSameStringInstance()
    {
        var raw = "/api/v1/reviews/7";

        var result = CanonicalPath.Normalize(raw);

        Assert.Same(raw, result.Path);
    }

    [Fact]
    public void Normalize_CanonicalPath_AllocatesNothing()
    {
        var raw = "/api/v1/reviews/7";
        CanonicalPath.Normalize(raw);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = CanonicalPath.Normalize(raw);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Same(raw, result.Path);
    }

    [Theory]
    [InlineData("/a?x=1&y=%2F..", "/a", "x=1&y=%2F..")]
    [InlineData("/a?", "/a", "")]
    [InlineData("/a?x#frag", "/a", "x")]
    [InlineData("/%61?b=%61", "/a", "b=%61")]
    public void Normalize_Query_KeptAsSentAndApartFromThePath(string raw, string path, string query)
    {
        var result = CanonicalPath.Normalize(raw);

        Assert.Equal(path, result.Path);
        Assert.Equal(query, result.Query);
    }

    [Theory]
    [InlineData("/admin%00", "%00")]
    [InlineData("/%zz", "'%zz'")]
    [InlineData("/..;/admin", "'..;'")]
    [InlineData("/a\u0001b", "0x01")]
    public void Normalize_RefusedTarget_ProblemNamesWhatAndWhere(string raw, string named)
    {
        var result = CanonicalPath.Normalize(raw);

        Assert.Contains(named, result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CanonicalPathMode.None, "/a/../b//c%2Fd%61", "/a/../b//c%2Fd%61")]
    [InlineData(CanonicalPathMode.Base, "/a/../b//c%2Fd%61", "/b//c%2Fda")]
    [InlineData(CanonicalPathMode.Base, "/a\\..\\b", "/b")]
    [InlineData(CanonicalPathMode.MergeSlashes, "/a/../b//c%2Fd%61", "/b/c%2Fda")]
    [InlineData(CanonicalPathMode.DecodeAndMergeSlashes, "/a/../b//c%2Fd%61", "/b/c/da")]
    [InlineData(CanonicalPathMode.DecodeAndMergeSlashes, "/public/..%5cadmin", "/admin")]
    [InlineData(CanonicalPathMode.Strict, "/a/../b//c%2Fd%61", "/b/c/da")]
    public void Normalize_IstioCompatibilityModes_TransformAsIstioDocuments(CanonicalPathMode mode, string raw, string expected)
    {
        var result = CanonicalPath.Normalize(raw, mode);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(expected, result.Path);
    }

    [Theory]
    [InlineData(CanonicalPathMode.None, "/admin%00")]
    [InlineData(CanonicalPathMode.None, "/public/..;/admin")]
    [InlineData(CanonicalPathMode.None, "/public/%2e%2e;/admin")]
    [InlineData(CanonicalPathMode.None, "/%zz")]
    [InlineData(CanonicalPathMode.Base, "/public/..;/admin")]
    [InlineData(CanonicalPathMode.MergeSlashes, "/a%0a")]
    [InlineData(CanonicalPathMode.DecodeAndMergeSlashes, "/.;/admin")]
    public void Normalize_AnyMode_StillRefusesNulControlsAndDotParameters(CanonicalPathMode mode, string raw)
    {
        Assert.False(CanonicalPath.Normalize(raw, mode).IsValid);
    }

    [Theory]
    [InlineData("Reviews", "reviews")]
    [InlineData("REVIEWS.default:9080", "reviews.default")]
    [InlineData("reviews.default.svc.cluster.local.", "reviews.default.svc.cluster.local")]
    [InlineData("Reviews.:80", "reviews")]
    [InlineData("[::1]:8080", "[::1]")]
    [InlineData("10.0.0.1:80", "10.0.0.1")]
    [InlineData("reviews", "reviews")]
    public void ForMatching_Authority_LowerCaseWithoutPortOrTrailingDot(string authority, string expected)
    {
        Assert.Equal(expected, CanonicalHost.ForMatching(authority));
    }

    [Fact]
    public void ForMatching_AlreadyCanonical_SameInstance()
    {
        var host = "reviews.default";

        Assert.Same(host, CanonicalHost.ForMatching(host));
    }
}
