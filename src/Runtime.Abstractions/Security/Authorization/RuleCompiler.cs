using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// Compiles the rules of one policy into predicates. Rules are ORed; the from, to and when parts of a rule and the
/// fields of a source or operation are ANDed; the values of a field are ORed.
/// </summary>
/// <remarks>
/// Absent attributes fail closed. Identity attributes (principal, namespace, service account, anything from the JWT,
/// SNI) are absent for plaintext or token-less requests: a positive value never matches them, and a not-form
/// matches them only in DENY, CUSTOM and AUDIT policies (so <c>notPrincipals</c> never allows plaintext, and a DENY
/// with <c>notPrincipals</c> denies it, as Istio's docs recommend). Duplicate request headers are adversarial: an
/// ALLOW value must match every copy, a DENY value any copy; so are path segment parameters (<c>/admin;x</c>): a
/// DENY path matches with or without them, an ALLOW path must match both ways. A part that cannot be compiled (an unsupported
/// condition key, a malformed value) never matches in an ALLOW policy and always matches in the others, and is
/// reported. Principals (<c>principals</c>, <c>notPrincipals</c>, <c>source.principal</c>) are widened to the mesh
/// trust domain and its aliases first (<see cref="TrustDomainAliases"/>).
/// </remarks>
/// <param name="policy">The policy, <c>namespace/name</c>, for problem messages.</param>
/// <param name="action">The policy's action; decides how absent attributes and broken parts count.</param>
/// <param name="trustDomains">The mesh trust domain, then its aliases; empty when unknown.</param>
/// <param name="problems">Where compile problems go.</param>
internal sealed class RuleCompiler(string policy, AuthorizationAction action, IReadOnlyList<string> trustDomains, ICollection<string> problems)
{
    private const string Headers = "request.headers[";
    private const string Claims = "request.auth.claims[";

    private static readonly Func<AuthorizationRequest, bool> Always = static _ => true;
    private static readonly Func<AuthorizationRequest, bool> Never = static _ => false;

    private readonly bool _denyLike = action != AuthorizationAction.Allow;

    // Whether the rule being compiled has an HTTP-only field (Istio's TCP semantics, see Compile).
    private bool _httpOnly;

    /// <summary>The predicate of <paramref name="rule"/>, the <paramref name="index"/>th rule.</summary>
    public Func<AuthorizationRequest, bool> Compile(AuthorizationRule rule, int index)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _httpOnly = false;
        var parts = new List<Func<AuthorizationRequest, bool>>();
        if (rule.From is { Count: > 0 } from)
        {
            parts.Add(AnyOf([.. from.Select((f, i) => Source(f.Source, $"rules[{index}].from[{i}].source"))]));
        }

        if (rule.To is { Count: > 0 } to)
        {
            parts.Add(AnyOf([.. to.Select((t, i) => Operation(t.Operation, $"rules[{index}].to[{i}].operation"))]));
        }

        for (var i = 0; i < (rule.When?.Count ?? 0); i++)
        {
            parts.Add(Condition(rule.When![i], $"rules[{index}].when[{i}]"));
        }

        // Istio's TCP semantics: HTTP-only fields (hosts, methods, paths, requestPrincipals, request headers, JWT
        // conditions) cannot match a TCP connection. An ALLOW rule with any of them never matches TCP; in DENY (and
        // CUSTOM, AUDIT) rules they are ignored for TCP, so the rest of the rule decides and the policy denies more.
        var predicate = AllOf(parts);
        return _httpOnly && !_denyLike ? request => !request.Tcp && predicate(request) : predicate;
    }

    /// <summary>Adds what <paramref name="add"/> adds, as HTTP-only parts: true for TCP (so ignored in DENY rules).</summary>
    private void AddHttpOnly(List<Func<AuthorizationRequest, bool>> parts, Action<List<Func<AuthorizationRequest, bool>>> add)
    {
        var before = parts.Count;
        add(parts);
        for (var i = before; i < parts.Count; i++)
        {
            var part = parts[i];
            parts[i] = request => request.Tcp || part(request);
            _httpOnly = true;
        }
    }

    private Func<AuthorizationRequest, bool> Source(Source? source, string path)
    {
        if (source is null)
        {
            return Always;
        }

        var parts = new List<Func<AuthorizationRequest, bool>>();
        AddText(parts, r => r.Peer?.Principal, Principals(source.Principals), Principals(source.NotPrincipals), identity: true);
        AddHttpOnly(parts, p => AddText(p, r => r.Jwt?.Principal, source.RequestPrincipals, source.NotRequestPrincipals, identity: true));
        AddText(parts, r => r.Peer?.Namespace, source.Namespaces, source.NotNamespaces, identity: true);
        AddText(parts, ServiceAccount, source.ServiceAccounts, source.NotServiceAccounts, identity: true);
        AddIp(parts, r => r.SourceIp, source.IpBlocks, source.NotIpBlocks, $"{path}.ipBlocks");
        AddIp(parts, r => r.RemoteIp, source.RemoteIpBlocks, source.NotRemoteIpBlocks, $"{path}.remoteIpBlocks");
        return AllOf(parts);
    }

    private Func<AuthorizationRequest, bool> Operation(Operation? operation, string path)
    {
        if (operation is null)
        {
            return Always;
        }

        var parts = new List<Func<AuthorizationRequest, bool>>();
        AddHttpOnly(parts, p => AddHosts(p, operation.Hosts, operation.NotHosts));
        AddPorts(parts, r => r.DestinationPort, operation.Ports, operation.NotPorts, $"{path}.ports");
        AddHttpOnly(parts, p => AddText(p, r => r.Method, operation.Methods, operation.NotMethods, identity: false, widenCase: true));
        AddHttpOnly(parts, p => AddPaths(p, operation.Paths, operation.NotPaths));
        return AllOf(parts);
    }

    private Func<AuthorizationRequest, bool> Condition(Condition condition, string path)
    {
        var key = condition.Key ?? "";
        var parts = new List<Func<AuthorizationRequest, bool>>();
        if (key.StartsWith(Headers, StringComparison.Ordinal) && key.EndsWith(']') && key.Length > Headers.Length + 1)
        {
            var name = key[Headers.Length..^1];
            AddHttpOnly(parts, p => AddValues(p, r => r.Headers(name), condition.Values, condition.NotValues, identity: false, adversarial: true));
            return AllOf(parts);
        }

        if (key.StartsWith(Claims, StringComparison.Ordinal) && key.EndsWith(']') && key.Length > Claims.Length + 1)
        {
            // Nested claims: request.auth.claims[a][b] reads payload.a.b.
            string[] names = key[Claims.Length..^1].Split("][");
            AddHttpOnly(parts, p => AddValues(p, r => Claim(r.Jwt, names), condition.Values, condition.NotValues, identity: true, adversarial: false));
            return AllOf(parts);
        }

        switch (key)
        {
            case "source.ip":
                AddIp(parts, r => r.SourceIp, condition.Values, condition.NotValues, path);
                break;
            case "remote.ip":
                AddIp(parts, r => r.RemoteIp, condition.Values, condition.NotValues, path);
                break;
            case "destination.ip":
                AddIp(parts, r => r.DestinationIp, condition.Values, condition.NotValues, path);
                break;
            case "destination.port":
                AddPorts(parts, r => r.DestinationPort, condition.Values, condition.NotValues, path);
                break;
            case "source.namespace":
                AddText(parts, r => r.Peer?.Namespace, condition.Values, condition.NotValues, identity: true);
                break;
            case "source.principal":
                AddText(parts, r => r.Peer?.Principal, Principals(condition.Values), Principals(condition.NotValues), identity: true);
                break;
            case "source.serviceAccount":
                AddText(parts, ServiceAccount, condition.Values, condition.NotValues, identity: true);
                break;
            case "request.auth.principal":
                AddHttpOnly(parts, p => AddText(p, r => r.Jwt?.Principal, condition.Values, condition.NotValues, identity: true));
                break;
            case "request.auth.presenter":
                AddHttpOnly(parts, p => AddText(p, r => r.Jwt?.Presenter, condition.Values, condition.NotValues, identity: true));
                break;
            case "request.auth.audiences":
                AddHttpOnly(parts, p => AddValues(p, r => r.Jwt?.Audiences ?? [], condition.Values, condition.NotValues, identity: true, adversarial: false));
                break;
            case "connection.sni":
                // A server name is a DNS name: case never distinguishes two, so a DENY cannot be dodged by case.
                AddText(parts, r => r.Sni, condition.Values, condition.NotValues, identity: true, static (v, _) => ValueMatch.Compile(v, ignoreCase: true));
                break;
            default:
                return Broken($"{path}.key: condition key '{key}' is not supported by the sidecar");
        }

        return AllOf(parts);
    }

    private static string? ServiceAccount(AuthorizationRequest request) =>
        request.Peer is { } peer ? peer.Namespace + "/" + peer.ServiceAccount : null;

    private IReadOnlyList<string>? Principals(IReadOnlyList<string>? principals) =>
        principals is null ? null : TrustDomainAliases.Expand(principals, trustDomains);

    private static IReadOnlyList<string?> Claim(AuthorizationToken? jwt, string[] names)
    {
        if (jwt is null || jwt.Payload.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var current = jwt.Payload;
        foreach (var name in names)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return [];
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => [current.GetString()],
            JsonValueKind.Array => [.. current.EnumerateArray().Where(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)).Select(ClaimText)],
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [current.GetRawText()],
            _ => [],
        };
    }

    private static string ClaimText(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();

    // widenCase, for methods and paths: the app may treat `delete` or `/Admin` like `DELETE` or `/admin`, so whatever
    // makes the rule deny more ignores case (DENY values, ALLOW not-values) and the rest is exact.
    private void AddText(List<Func<AuthorizationRequest, bool>> parts, Func<AuthorizationRequest, string?> read, IReadOnlyList<string>? values, IReadOnlyList<string>? notValues, bool identity, Func<string, bool, Func<string, bool>>? compile = null, bool widenCase = false)
    {
        compile ??= static (v, ignoreCase) => ValueMatch.Compile(v, ignoreCase);
        var positive = ValueMatch.AnyOf(values, v => compile(v, widenCase && _denyLike));
        var negative = ValueMatch.AnyOf(notValues, v => compile(v, widenCase && !_denyLike));
        if (positive is null && negative is null)
        {
            return;
        }

        var absentMatches = AbsentMatches(positive, identity);
        parts.Add(request => read(request) is { } value
            ? (positive is null || positive(value)) && (negative is null || !negative(value))
            : absentMatches);
    }

    private void AddPaths(List<Func<AuthorizationRequest, bool>> parts, IReadOnlyList<string>? values, IReadOnlyList<string>? notValues)
    {
        // As for methods, DENY-like policies compare paths case-insensitively (an app may not care about case).
        var positive = ValueMatch.AnyOf(values, v => PathPattern.Compile(v, _denyLike));
        var negative = ValueMatch.AnyOf(notValues, v => PathPattern.Compile(v, !_denyLike));
        if (positive is null && negative is null)
        {
            return;
        }

        bool Matches(string path) => (positive is null || positive(path)) && (negative is null || !negative(path));

        // Servers such as Tomcat drop ";parameters" from path segments, so "/admin;x" may reach the app as "/admin":
        // a DENY-like rule matches when either reading of the path matches, an ALLOW rule only when both do.
        parts.Add(request => request.Path.Contains(';', StringComparison.Ordinal)
            ? (_denyLike
                ? Matches(request.Path) || Matches(PathPattern.WithoutSegmentParameters(request.Path))
                : Matches(request.Path) && Matches(PathPattern.WithoutSegmentParameters(request.Path)))
            : Matches(request.Path));
    }

    private void AddValues(List<Func<AuthorizationRequest, bool>> parts, Func<AuthorizationRequest, IReadOnlyList<string?>> read, IReadOnlyList<string>? values, IReadOnlyList<string>? notValues, bool identity, bool adversarial)
    {
        var positive = ValueMatch.AnyOf(values, static v => ValueMatch.Compile(v));
        var negative = ValueMatch.AnyOf(notValues, static v => ValueMatch.Compile(v));
        if (positive is null && negative is null)
        {
            return;
        }

        var absentMatches = AbsentMatches(positive, identity);
        // ALLOW: every copy of a duplicated header must pass; DENY: any copy that trips the rule is enough.
        var positiveNeedsAll = adversarial && !_denyLike;
        var negativeNeedsAll = adversarial && _denyLike;
        parts.Add(request =>
        {
            var actual = read(request);
            if (actual.Count == 0)
            {
                return absentMatches;
            }

            if (positive is not null && !(positiveNeedsAll ? All(actual, positive) : Any(actual, positive)))
            {
                return false;
            }

            return negative is null || !(negativeNeedsAll ? All(actual, negative) : Any(actual, negative));
        });
    }

    private static void AddHosts(List<Func<AuthorizationRequest, bool>> parts, IReadOnlyList<string>? hosts, IReadOnlyList<string>? notHosts)
    {
        var positive = HostMatcher(hosts);
        var negative = HostMatcher(notHosts);
        if (positive is null && negative is null)
        {
            return;
        }

        parts.Add(request => (positive is null || positive(request)) && (negative is null || !negative(request)));
    }

    /// <summary>
    /// Hosts match case-insensitively against the host without port and trailing dot; a value naming a port
    /// (<c>example.com:8080</c>) matches against host and port instead.
    /// </summary>
    private static Func<AuthorizationRequest, bool>? HostMatcher(IReadOnlyList<string>? hosts)
    {
        if (hosts is not { Count: > 0 })
        {
            return null;
        }

        var matchers = hosts.Select(h =>
        {
            var value = h.ToLowerInvariant();
            var colon = value.LastIndexOf(':');
            var withPort = colon > 0 && value.IndexOf(']', colon) < 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (!withPort)
            {
                var match = ValueMatch.Compile(value.TrimEnd('.'), ignoreCase: true);
                return (Func<AuthorizationRequest, bool>)(r => match(r.Host));
            }

            var hostMatch = ValueMatch.Compile(value[..colon].TrimEnd('.'), ignoreCase: true);
            var port = value[(colon + 1)..];
            return r => r.HostPort?.ToString(CultureInfo.InvariantCulture) == port && hostMatch(r.Host);
        }).ToArray();
        return AnyOf(matchers);
    }

    private void AddPorts(List<Func<AuthorizationRequest, bool>> parts, Func<AuthorizationRequest, int> read, IReadOnlyList<string>? ports, IReadOnlyList<string>? notPorts, string path)
    {
        if (ports is not { Count: > 0 } && notPorts is not { Count: > 0 })
        {
            return;
        }

        var positive = PortSet(ports);
        var negative = PortSet(notPorts);
        if (positive is null || negative is null)
        {
            parts.Add(Broken($"{path}: ports must be numbers 1-65535"));
            return;
        }

        var onlyNegative = ports is not { Count: > 0 };
        parts.Add(request =>
        {
            var port = read(request);
            return (onlyNegative || positive.Contains(port)) && !negative.Contains(port);
        });
    }

    private static HashSet<int>? PortSet(IReadOnlyList<string>? ports)
    {
        var set = new HashSet<int>();
        foreach (var text in ports ?? [])
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return null;
            }

            set.Add(port);
        }

        return set;
    }

    private void AddIp(List<Func<AuthorizationRequest, bool>> parts, Func<AuthorizationRequest, IPAddress?> read, IReadOnlyList<string>? blocks, IReadOnlyList<string>? notBlocks, string path)
    {
        if (blocks is not { Count: > 0 } && notBlocks is not { Count: > 0 })
        {
            return;
        }

        var positive = Blocks(blocks, path);
        var negative = Blocks(notBlocks, path);
        if (positive is null || negative is null)
        {
            return;
        }

        var onlyNegative = blocks is not { Count: > 0 };
        // An unknown address is treated like an absent identity: it satisfies nothing positive.
        var absentMatches = onlyNegative && _denyLike;
        parts.Add(request => read(request) is { } address
            ? (onlyNegative || Contains(positive, address)) && !Contains(negative, address)
            : absentMatches);

        IpBlock[]? Blocks(IReadOnlyList<string>? texts, string where)
        {
            var list = new List<IpBlock>();
            foreach (var text in texts ?? [])
            {
                if (IpBlock.TryParse(text, out var error) is { } block)
                {
                    list.Add(block);
                }
                else
                {
                    parts.Add(Broken($"{where}: {error}"));
                    return null;
                }
            }

            return [.. list];
        }
    }

    private static bool Contains(IpBlock[] blocks, IPAddress address)
    {
        foreach (var block in blocks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private bool AbsentMatches(Func<string, bool>? positive, bool identity) =>
        positive is null && (!identity || _denyLike);

    private Func<AuthorizationRequest, bool> Broken(string problem)
    {
        problems.Add($"AuthorizationPolicy {policy} {problem}; the part {(_denyLike ? "always matches" : "never matches")} (fail closed)");
        return _denyLike ? Always : Never;
    }

    private static bool Any(IReadOnlyList<string?> values, Func<string, bool> match)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } value && match(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool All(IReadOnlyList<string?> values, Func<string, bool> match)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value || !match(value))
            {
                return false;
            }
        }

        return true;
    }

    private static Func<AuthorizationRequest, bool> AnyOf(Func<AuthorizationRequest, bool>[] predicates) => predicates.Length switch
    {
        0 => Always,
        1 => predicates[0],
        _ => request =>
        {
            foreach (var predicate in predicates)
            {
                if (predicate(request))
                {
                    return true;
                }
            }

            return false;
        },
    };

    private static Func<AuthorizationRequest, bool> AllOf(List<Func<AuthorizationRequest, bool>> predicates)
    {
        Func<AuthorizationRequest, bool>[] all = [.. predicates];
        return all.Length switch
        {
            0 => Always,
            1 => all[0],
            _ => request =>
            {
                foreach (var predicate in all)
                {
                    if (!predicate(request))
                    {
                        return false;
                    }
                }

                return true;
            },
        };
    }
}
