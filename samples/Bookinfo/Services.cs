using System.Net;
using System.Text.Json;

namespace Bookinfo;

/// <summary>The three services. They reach each other by service name; the sidecar (HTTP_PROXY) does the rest.</summary>
internal static class Services
{
    public static async Task<int> RunAsync(string role, string version, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        // HttpClient honours HTTP_PROXY: calls to http://reviews/... go through this workload's sidecar.
        builder.Services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        var app = builder.Build();
        var client = app.Services.GetRequiredService<HttpClient>();

        switch (role)
        {
            case "ratings":
                app.MapGet("/ratings/{id}", (string id) => Results.Json(new { id, stars = id.Length % 2 == 0 ? 5 : 4 }));
                break;
            case "reviews":
                app.MapGet("/reviews/{id}", async (string id, HttpRequest request) =>
                {
                    if (version == "v3")
                    {
                        await Task.Delay(15);
                    }

                    int? stars = null;
                    if (version != "v1")
                    {
                        using var ratings = await client.GetAsync(new Uri($"http://ratings/ratings/{id}"));
                        stars = ratings.IsSuccessStatusCode ? JsonDocument.Parse(await ratings.Content.ReadAsStringAsync()).RootElement.GetProperty("stars").GetInt32() : null;
                    }

                    return Results.Json(new { id, version, stars, reviewer = request.Headers["end-user"].ToString() });
                });
                break;
            default:
                app.MapGet("/productpage", async (HttpRequest request) =>
                {
                    using var call = new HttpRequestMessage(HttpMethod.Get, new Uri("http://reviews/reviews/1"));
                    if (request.Headers.TryGetValue("end-user", out var user))
                    {
                        call.Headers.Add("end-user", user.ToString());
                    }

                    using var reviews = await client.SendAsync(call);
                    var body = await reviews.Content.ReadAsStringAsync();
                    return reviews.IsSuccessStatusCode
                        ? Results.Text(body, "application/json")
                        : Results.Json(new { error = $"reviews answered {(int)reviews.StatusCode}", reason = reviews.Headers.TryGetValues("x-mesh-reason", out var r) ? string.Join(",", r) : "" }, statusCode: 502);
                });
                break;
        }

        await app.RunAsync();
        return 0;
    }
}
