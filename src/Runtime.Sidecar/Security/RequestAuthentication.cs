using System.Text.Json;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The result of validating a request's JWT (RequestAuthentication), set as an <c>HttpContext</c> feature when a
/// token was present and valid; absent when the request carried no token (Istio: no request principal).
/// </summary>
/// <param name="Principal">The request principal, <c>iss/sub</c>.</param>
/// <param name="Audiences">The token's <c>aud</c> values.</param>
/// <param name="Presenter">The token's <c>azp</c>, or null.</param>
/// <param name="Payload">The token's payload (a JSON object, cloned so it outlives the request's buffers): what
/// <c>request.auth.claims[name]</c> and nested <c>request.auth.claims[a][b]</c> conditions read.</param>
internal sealed record RequestAuthentication(string Principal, IReadOnlyList<string> Audiences, string? Presenter, JsonElement Payload);
