using System.Net;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task An_account_over_its_requests_per_minute_gets_429_with_retry_after_and_others_are_unaffected()
    {
        await using var server = await TestServer.StartAsync(options => options.RequestsPerMinute = 3, chat: new EndlessChatClient());
        using var busy = await server.SignedInClientAsync();
        using var calm = await server.SignedInClientAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/companions")).StatusCode);
        }

        var refused = await busy.GetAsync("/api/companions");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await calm.GetAsync("/api/companions")).StatusCode);
    }
}
