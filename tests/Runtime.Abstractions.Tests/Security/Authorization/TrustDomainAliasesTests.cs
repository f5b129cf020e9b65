using Runtime.Abstractions.Security.Authorization;

namespace Runtime.Abstractions.Tests.Security.Authorization;

/// <summary>
/// Istio's trust-domain migration of policy principals: the rewrite itself, and what it lets through when a workload
/// (productpage in default) runs in trust domain new-td with alias old-td.
/// </summary>
public sealed class TrustDomainAliasesTests
{
    private static readonly string[] Domains = ["new-td", "old-td"];

    [Theory]
    [InlineData("cluster.local/ns/a/sa/b", "new-td/ns/a/sa/b|old-td/ns/a/sa/b")]
    [InlineData("old-td/ns/a/sa/b", "new-td/ns/a/sa/b|old-td/ns/a/sa/b")]
    [InlineData("new-td/ns/a/sa/*", "new-td/ns/a/sa/*|old-td/ns/a/sa/*")]
    [InlineData("foreign-td/ns/a/sa/b", "foreign-td/ns/a/sa/b")]
    [InlineData("*/ns/a/sa/b", "*/ns/a/sa/b")]
    [InlineData("*-td/ns/a/sa/b", "*-td/ns/a/sa/b")]
    [InlineData("old*/ns/a/sa/b", "new-td/ns/a/sa/b|old-td/ns/a/sa/b")]
    [InlineData("cluster.local/ns/a/*", "cluster.local/ns/a/*")]
    [InlineData("*", "*")]
    [InlineData("*/sa/b", "*/sa/b")]
    public void Expand_Principal_IstioRewrite(string principal, string expected)
    {
        Assert.Equal(expected, string.Join('|', TrustDomainAliases.Expand([principal], Domains)));
    }

    [Fact]
    public void Expand_SuffixPatternMatchingOnlySomeDomains_KeepsItForThoseAndRewritesForTheOthers()
    {
        Assert.Equal(["*-td/ns/a/sa/b", "example.org/ns/a/sa/b"], TrustDomainAliases.Expand(["*-td/ns/a/sa/b"], ["new-td", "example.org"]));
    }

    [Fact]
    public void Expand_TrustDomainsUnknown_KeepsThePrincipals()
    {
        Assert.Equal(["cluster.local/ns/a/sa/b"], TrustDomainAliases.Expand(["cluster.local/ns/a/sa/b"], []));
    }

    [Theory]
    [InlineData("{principals: [cluster.local/ns/default/sa/reviews]}", "old-td/ns/default/sa/reviews", "allow default/p#0")]
    [InlineData("{principals: [cluster.local/ns/default/sa/reviews]}", "new-td/ns/default/sa/reviews", "allow default/p#0")]
    [InlineData("{principals: [old-td/ns/default/sa/reviews]}", "new-td/ns/default/sa/reviews", "allow default/p#0")]
    [InlineData("{principals: [cluster.local/ns/default/sa/reviews]}", "new-td/ns/default/sa/ratings", "deny")]
    [InlineData("{principals: [cluster.local/ns/default/sa/reviews]}", "foreign/ns/default/sa/reviews", "deny")]
    [InlineData("{principals: [cluster.local/ns/default/sa/reviews]}", "cluster.local/ns/default/sa/reviews", "deny")]
    [InlineData("{principals: [foreign/ns/default/sa/reviews]}", "new-td/ns/default/sa/reviews", "deny")]
    [InlineData("{principals: ['*/ns/default/sa/reviews']}", "foreign/ns/default/sa/reviews", "allow default/p#0")]
    [InlineData("{principals: [cluster.local/ns/default/*]}", "new-td/ns/default/sa/reviews", "deny")]
    [InlineData("{notPrincipals: [cluster.local/ns/evil/sa/x]}", "old-td/ns/evil/sa/x", "deny")]
    [InlineData("{notPrincipals: [cluster.local/ns/evil/sa/x]}", "old-td/ns/default/sa/reviews", "allow default/p#0")]
    public void Evaluate_PeerFromAliasTrustDomain_MatchesAsIstio(string source, string peer, string expected)
    {
        var evaluator = AuthorizationSemanticsTests.Compile(AuthorizationSemanticsTests.Policy("p", $"{{rules: [{{from: [{{source: {source}}}]}}]}}"), [], Domains);

        var decision = evaluator.Evaluate(new AuthorizationTestRequest { Peer = peer }.ToRequest());

        Assert.Equal(expected, Describe(decision));
    }

    [Fact]
    public void Evaluate_SourcePrincipalCondition_WidenedLikePrincipals()
    {
        var evaluator = AuthorizationSemanticsTests.Compile(AuthorizationSemanticsTests.Policy("p", "{rules: [{when: [{key: source.principal, values: [cluster.local/ns/default/sa/reviews]}]}]}"), [], Domains);

        Assert.Equal("allow default/p#0", Describe(evaluator.Evaluate(new AuthorizationTestRequest { Peer = "old-td/ns/default/sa/reviews" }.ToRequest())));
    }

    [Fact]
    public void ForTrustDomains_LearnedAfterCompiling_RecompilesOnceAndReusesIt()
    {
        var plain = AuthorizationSemanticsTests.Compile(AuthorizationSemanticsTests.Policy("p", "{rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/reviews]}}]}]}"), []);
        var request = new AuthorizationTestRequest { Peer = "old-td/ns/default/sa/reviews" }.ToRequest();

        var aliased = plain.ForTrustDomains(Domains);

        Assert.Equal("deny", Describe(plain.Evaluate(request)));
        Assert.Equal("allow default/p#0", Describe(aliased.Evaluate(request)));
        Assert.Same(aliased, plain.ForTrustDomains(["new-td", "old-td"]));
        Assert.Same(plain, plain.ForTrustDomains([]));
        Assert.Equal(Domains, aliased.TrustDomains);
    }

    private static string Describe(AuthorizationDecision decision) =>
        (decision.Allowed ? "allow" : "deny") + (decision.Policy is null ? "" : $" {decision.Policy}#{decision.RuleIndex}");
}
