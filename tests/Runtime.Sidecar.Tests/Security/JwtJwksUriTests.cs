using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Security.Jwt;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>Keys fetched from a <c>jwksUri</c> served by a real Kestrel on loopback: cached, refreshed, failing closed.</summary>
public sealed class JwtJwksUriTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly JwtTestKeys _keys = new();
    private int _fetches;

    [Fact]
    public async Task Authenticate_KeysFromJwksUri_FetchedOnceAndCached()
    {
        await using var server = await JwksServerAsync();
        using var sidecar = new JwtTestSidecar(new JwtTestClock(Now), RemotePolicy(server.Address));

        for (var i = 0; i < 3; i++)
        {
            var context = JwtTestSidecar.Request("Bearer " + _keys.Sign("ES256", JwtTestKeys.Claims(Now), "ec256"));
            Assert.Null(await sidecar.RunAsync(context));
            Assert.NotNull(JwtTestSidecar.Feature(context));
        }

        Assert.Equal(1, Volatile.Read(ref _fetches));
    }

    [Fact]
    public async Task Authenticate_JwksEndpointDownAtFirstFetch_RefusesValidToken()
    {
        var server = await JwksServerAsync();
        var address = server.Address;
        await server.DisposeAsync();
        using var sidecar = new JwtTestSidecar(new JwtTestClock(Now), RemotePolicy(address));

        var refused = await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa")));

        Assert.NotNull(refused);
        Assert.StartsWith("Jwks remote fetch failed", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_JwksEndpointAnswers500_RefusesAndRetriesLater()
    {
        var healthy = false;
        await using var server = await TestServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref _fetches);
            context.Response.StatusCode = healthy ? 200 : 500;
            await context.Response.WriteAsync(healthy ? _keys.Jwks : "down");
        });
        var clock = new JwtTestClock(Now);
        using var sidecar = new JwtTestSidecar(clock, RemotePolicy(server.Address));

        Assert.NotNull(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"))));
        healthy = true;
        // Within the retry delay the failure stands without a new fetch.
        Assert.NotNull(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"))));
        Assert.Equal(1, Volatile.Read(ref _fetches));
        clock.Advance(JwksSource.RetryDelay);

        Assert.Null(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(clock.GetUtcNow()), "rsa"))));
        Assert.Equal(2, Volatile.Read(ref _fetches));
    }

    [Theory]
    [InlineData("{\"keys\": \"none\"}")]
    [InlineData("<html>login</html>")]
    [InlineData("{\"keys\": [{\"kty\": \"RSA\", \"n\": \"!!\", \"e\": \"AQAB\"}]}")]
    public async Task Authenticate_JwksEndpointServesGarbage_RefusesValidToken(string document)
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync(document));
        using var sidecar = new JwtTestSidecar(new JwtTestClock(Now), RemotePolicy(server.Address));

        var refused = await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa")));

        Assert.NotNull(refused);
        Assert.StartsWith("Jwks remote fetch failed", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_JwksEndpointDownAfterGoodFetch_KeepsServingCachedKeys()
    {
        var server = await JwksServerAsync();
        var clock = new JwtTestClock(Now);
        using var sidecar = new JwtTestSidecar(clock, RemotePolicy(server.Address));
        Assert.Null(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"))));
        await server.DisposeAsync();

        clock.Advance(JwksSource.RefreshInterval + TimeSpan.FromMinutes(1));
        var stale = JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(clock.GetUtcNow()), "rsa"));
        var afterFailedRefresh = JwtTestSidecar.Request("Bearer " + _keys.Sign("PS256", JwtTestKeys.Claims(clock.GetUtcNow()), "rsa"));

        Assert.Null(await sidecar.RunAsync(stale));
        Assert.Null(await sidecar.RunAsync(afterFailedRefresh));
        Assert.NotNull(JwtTestSidecar.Feature(afterFailedRefresh));
    }

    [Fact]
    public async Task Authenticate_JwksUriKeysRotated_RefreshPicksUpNewKeys()
    {
        using var rotated = new JwtTestKeys();
        var current = _keys;
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync(Volatile.Read(ref current).Jwks));
        var clock = new JwtTestClock(Now);
        using var sidecar = new JwtTestSidecar(clock, RemotePolicy(server.Address));
        Assert.Null(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"))));

        Volatile.Write(ref current, rotated);
        clock.Advance(JwksSource.RefreshInterval);
        var token = "Bearer " + rotated.Sign("RS256", JwtTestKeys.Claims(clock.GetUtcNow()), "rsa");

        // The first request after the interval still meets the old keys (and starts the refresh in the background).
        await Mesh.Eventually.Async("the rotated JWKS to be fetched", async () => await sidecar.RunAsync(JwtTestSidecar.Request(token)) is null);
    }

    public void Dispose() => _keys.Dispose();

    private Task<TestServer> JwksServerAsync() => TestServer.StartAsync(context =>
    {
        Interlocked.Increment(ref _fetches);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(_keys.Jwks);
    });

    private static Runtime.Abstractions.Resources.MeshResource RemotePolicy(Uri server) =>
        JwtTestSidecar.Policy($$"""{ "jwtRules": [ { "issuer": "{{JwtTestKeys.Issuer}}", "jwksUri": {{JsonSerializer.Serialize(new Uri(server, "/.well-known/jwks.json").ToString())}}, "timeout": "5s" } ] }""");
}
