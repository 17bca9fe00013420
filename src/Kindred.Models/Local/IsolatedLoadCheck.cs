using System.Diagnostics;
using System.Globalization;
using Kindred.Models.Gguf;

namespace Kindred.Models.Local;

/// <summary>
/// Loads a model file once in a child process before this process trusts it. llama.cpp calls abort() on some
/// malformed files that pass every managed check; in a child that costs the child, not the person's session.
/// A file that loaded once is remembered by path, size and modification time, so the check runs once per file.
/// </summary>
public sealed class IsolatedLoadCheck(string cacheFile, Func<string, ProcessStartInfo> probeCommand)
{
    /// <summary>How long a child may take to load a model (default 5 minutes: large files on slow disks).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws unless the model at <paramref name="modelPath"/> loads in a child process (or has before).</summary>
    /// <exception cref="ModelFileException">The child failed to load the file, crashed, or hung.</exception>
    public async Task EnsureLoadableAsync(string modelPath, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(modelPath);
        if (File.Exists(cacheFile) && (await File.ReadAllLinesAsync(cacheFile, cancellationToken).ConfigureAwait(false)).Contains(fingerprint))
        {
            return;
        }

        var start = probeCommand(modelPath);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var child = Process.Start(start) ?? throw new ModelFileException($"Could not start a process to check '{modelPath}'.");
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ModelFileException($"Loading '{modelPath}' took longer than {Timeout.TotalMinutes:0} minutes; the file may be damaged.");
        }

        var said = (await stdout.ConfigureAwait(false)).Trim();
        _ = await stderr.ConfigureAwait(false);
        if (child.ExitCode == 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheFile))!);
            await File.AppendAllLinesAsync(cacheFile, [fingerprint], cancellationToken).ConfigureAwait(false);
            return;
        }

        // The child prints a one-line reason when it fails cleanly; a crash prints nothing useful.
        throw new ModelFileException(said.Length > 0 && child.ExitCode == ProbeFailedExitCode
            ? said
            : $"llama.cpp crashed while loading '{modelPath}' (exit code {child.ExitCode}): the file is damaged or not a model this version of Kindred can read.");
    }

    /// <summary>The exit code of a probe that failed with a reason it printed on standard output.</summary>
    public const int ProbeFailedExitCode = 3;

    private static string Fingerprint(string modelPath)
    {
        var file = new FileInfo(modelPath);
        if (!file.Exists)
        {
            throw new ModelFileException($"Model file not found: {modelPath}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}");
    }
}
