using Kindred.Server.Companions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kindred.Server;

/// <summary>
/// Turns a busy model into 429 with Retry-After wherever it surfaces, and logs any other failure by type and route
/// only (an exception message can quote what a person said). The framework then answers with ProblemDetails.
/// </summary>
internal sealed class BusyExceptionHandler(ILogger<BusyExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Refusal.Of(exception) is { } refusal)
        {
            await ReplyStreams.RefuseAsync(httpContext, refusal).ConfigureAwait(false);
            return true;
        }

        ServerLog.Unhandled(logger, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        return false;
    }
}
