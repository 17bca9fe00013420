using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Kindred.Server.WebApp;

/// <summary>
/// Serves the web app (plain ES modules, no build step) from resources embedded in this assembly, so the server
/// needs no content folder beside it and the page needs nothing from the network.
/// </summary>
internal static class WebAppAssets
{
    // Everything the page loads comes from this origin; the live conversation's WebSocket is same-origin too.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; " +
        "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebApp(this IApplicationBuilder app)
    {
        var files = new EmbeddedFileProvider(typeof(WebAppAssets).Assembly, "Kindred.Server.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidated on every load (ETag), so a new version of the server never runs an old page.
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "microphone=(self), camera=(), geolocation=()";
            },
        });
    }
}
