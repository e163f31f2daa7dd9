using System.Globalization;
using System.Management.Automation;
using KMeansPS.Bridge;

namespace KMeansPS.Pipeline;

/// <summary>
/// What one command call reads and writes, so that no output replaces an input of the same call and no input is
/// read after this call replaced it. Files are compared by identity (device and inode, links followed), not by name.
/// <para>Inputs stream in, so the rule works in both directions: an output is refused when it is a file already seen
/// as an input (<see cref="ErrorIds.OutputIsInput"/>, or <see cref="ErrorIds.OutputIsSource"/> for its own source),
/// both when planned and again just before it is published; an input is refused when this call has already written
/// it (<see cref="ErrorIds.InputIsOutput"/>). Inputs given together (one -Path array) are all recorded before any of
/// their outputs is planned.</para>
/// <para>An output name is claimed only when the output is published: claims on one name wait in input order, so the
/// first input that is actually written gets the name and a later one is told <see cref="ErrorIds.OutputExists"/>;
/// an input that fails to decode leaves the name to the next. Claims waiting on one another cannot deadlock because
/// work starts in input order (<see cref="OrderedWorkQueue{T}"/>).</para>
/// </summary>
internal sealed class CallFiles
{
    private readonly object _gate = new();
    // Keyed by the identity as text (Id), not a tuple: a dictionary keyed by a tuple was compiled anew, unoptimised, in
    // every session's first call; the runtime's dictionary of strings is precompiled.
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _written = new(FileSystemChecks.PathComparer);
    private readonly Dictionary<string, string> _writtenFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OutputClaim>> _claims = new(FileSystemChecks.PathComparer);
    private readonly HashSet<string> _swept = new(FileSystemChecks.PathComparer);
    private readonly HashSet<string> _replaced = new(FileSystemChecks.PathComparer);
    private readonly Dictionary<string, string> _upToDate = new(FileSystemChecks.PathComparer); // kept outputs, by the source they belong to

    /// <summary>Records an input; throws <see cref="OutputRefusedException"/> when this call has already written it.</summary>
    public void AddInput(string path) => CheckInput(path, record: true);

    /// <summary>
    /// Throws <see cref="OutputRefusedException"/> when this call has already written <paramref name="path"/>, without
    /// recording it as an input (for an input that is then skipped, not read).
    /// </summary>
    public void RefuseWrittenInput(string path) => CheckInput(path, record: false);

    /// <summary>
    /// The source whose output this call wrote at <paramref name="path"/> as a new file, else null: a folder being listed
    /// while the call writes into it (Get-ChildItem streams) hands such files back as inputs. An output that replaced a
    /// file (-Force) is not such a newcomer: that file may have been meant as an input, so it stays InputIsOutput.
    /// </summary>
    public string? WrittenBy(string path)
    {
        FileKey? key = FileSystemChecks.Identify(path);
        string resolved = FileSystemChecks.ResolvePath(path);
        lock (_gate)
        {
            return !_replaced.Contains(resolved)
                && (_written.TryGetValue(resolved, out string? source) || (key is { } k && _writtenFiles.TryGetValue(Id(k), out source)))
                ? source
                : null;
        }
    }

    private void CheckInput(string path, bool record)
    {
        FileKey? key = FileSystemChecks.Identify(path);
        string resolved = FileSystemChecks.ResolvePath(path);
        lock (_gate)
        {
            if (_written.TryGetValue(resolved, out string? source) || (key is { } k && _writtenFiles.TryGetValue(Id(k), out source)))
            {
                throw new OutputRefusedException(ErrorIds.InputIsOutput, ErrorCategory.InvalidOperation,
                    $"'{path}' is not read: this command has just written it as the output of '{source}'. " +
                    "Give inputs and outputs different names, or another -Destination.");
            }
            // An empty file holds nothing an output could destroy: most likely an output a power cut left before its data
            // reached the disk (outputs are not forced to disk), which this call may then write again.
            if (record && key is { } found && !IsEmptyFile(path)) _inputs.TryAdd(Id(found), path);
        }
    }

    /// <summary>True for a regular file of no bytes.</summary>
    internal static bool IsEmptyFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length == 0 && (info.Attributes & FileAttributes.ReparsePoint) == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks <paramref name="output"/> of <paramref name="source"/> and queues a claim on its name; throws
    /// <see cref="OutputRefusedException"/> when it must not be written. Release the claim if the output is not written.
    /// <paramref name="existing"/>, when given, says what the file already at that name is (found by the caller, outside
    /// the lock): the OutputExists error then says it rather than only that a file is there.
    /// </summary>
    /// <paramref name="mayBeKept"/>: a file there may be left as it is (a plot a rerun draws again, compared after drawing),
    /// so whether its folder must take a new file is the caller's to say then.
    public OutputClaim Claim(string output, string source, bool force, string? existing = null, bool mayBeKept = false)
    {
        string full = Path.GetFullPath(output);
        string resolved = FileSystemChecks.ResolvePath(full);
        lock (_gate)
        {
            Refuse(full, resolved, source, force, planning: true, existing, mayBeKept);
            var claim = new OutputClaim(this, full, resolved, source);
            if (!_claims.TryGetValue(resolved, out List<OutputClaim>? queue)) _claims[resolved] = queue = new List<OutputClaim>();
            queue.Add(claim);
            return claim;
        }
    }

    /// <summary>
    /// Notes an output this call found up to date for <paramref name="source"/> and left alone: another input of the
    /// call that would write the same name is then told so, rather than to use -Force (which would overwrite it).
    /// </summary>
    public void NoteUpToDate(string output, string source)
    {
        string resolved = FileSystemChecks.ResolvePath(Path.GetFullPath(output));
        lock (_gate) _upToDate.TryAdd(resolved, source);
    }

    /// <summary>Once per folder and call: removes temporary files that killed runs left there.</summary>
    public void SweepOnce(string folder)
    {
        lock (_gate)
        {
            if (!_swept.Add(folder)) return;
        }
        FileSystemChecks.RemoveStaleTempFiles(folder);
    }

    internal void Publish(OutputClaim claim, Action move, bool force, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            try
            {
                List<OutputClaim> queue = _claims[claim.Resolved];
                while (queue[0] != claim)
                {
                    Monitor.Wait(_gate, 100);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                Refuse(claim.Path, claim.Resolved, claim.Source, force, planning: false);
                bool replacing = FileSystemChecks.Identify(claim.Path) is not null;
                move();
                if (replacing) _replaced.Add(claim.Resolved);
                _written[claim.Resolved] = claim.Source;
                if (FileSystemChecks.Identify(claim.Path) is { } written) _writtenFiles[Id(written)] = claim.Source;
            }
            finally
            {
                Remove(claim);
            }
        }
    }

    internal void Release(OutputClaim claim)
    {
        lock (_gate) Remove(claim);
    }

    private void Remove(OutputClaim claim)
    {
        if (_claims.TryGetValue(claim.Resolved, out List<OutputClaim>? queue) && queue.Remove(claim))
        {
            if (queue.Count == 0) _claims.Remove(claim.Resolved);
            Monitor.PulseAll(_gate);
        }
    }

    // Called under the lock, when planning and again right before publishing.
    private void Refuse(string full, string resolved, string source, bool force, bool planning, string? what = null, bool mayBeKept = false)
    {
        FileKey? existing = FileSystemChecks.Identify(full);
        if (existing is { } target && _inputs.TryGetValue(Id(target), out string? input))
        {
            bool own = FileSystemChecks.Identify(source) is { } s && s.IsSameFile(target);
            throw own
                ? new OutputRefusedException(ErrorIds.OutputIsSource, ErrorCategory.InvalidArgument,
                    $"The output '{full}' is the source image '{source}' (or a link to it); the source is never overwritten. Give the output another name.")
                : new OutputRefusedException(ErrorIds.OutputIsInput, ErrorCategory.InvalidArgument,
                    $"The output '{full}' of '{source}' is '{input}', an input of this command (or a link to it)" + WhyAnInput(input) +
                    "Inputs are never overwritten, even with -Force: leave that file out of the inputs, or give the output another name or folder.");
        }
        if (_written.TryGetValue(resolved, out string? earlier))
        {
            throw new OutputRefusedException(ErrorIds.OutputExists, ErrorCategory.ResourceExists,
                $"'{full}' was already written by this command as the output of '{earlier}'; '{source}' would overwrite it. {TwoInputsOneName}");
        }
        if (_upToDate.TryGetValue(resolved, out string? kept) && !string.Equals(kept, source, StringComparison.Ordinal))
        {
            throw new OutputRefusedException(ErrorIds.OutputExists, ErrorCategory.ResourceExists,
                $"'{full}' is the up-to-date output of '{kept}', another input of this command; '{source}' would overwrite it. {TwoInputsOneName}");
        }
        if (existing is null && FileSystemChecks.BrokenLink(full, out string? missing))
        {
            // A link someone made where the output goes (to a share not mounted tonight, or round a loop): replacing
            // it with a file would lose it, and writing through it cannot work. Refused with -Force too.
            throw new OutputRefusedException(ErrorIds.FileWriteError, ErrorCategory.WriteError,
                $"Could not write '{full}' (the output of '{source}'): it is a symbolic link " +
                (missing is null ? "in a loop of links" : $"to '{missing}', which does not exist (a share that is not mounted?)") +
                ". Nothing was written; remove the link or make its target.");
        }
        if (existing is { IsRegular: false } other)
        {
            throw new OutputRefusedException(ErrorIds.FileWriteError, ErrorCategory.WriteError,
                $"Could not write '{full}' (the output of '{source}'): it is {other.Describe()}, not a regular file.");
        }
        if (planning && (existing is null || (force && !mayBeKept)) && FileSystemChecks.WriteRefusal(Path.GetDirectoryName(full)!) is { } why)
        {
            // Found when the output is planned (under -WhatIf too), as the write would find it.
            throw new OutputRefusedException(ErrorIds.FileWriteError, ErrorCategory.WriteError,
                $"Could not write '{full}' (the output of '{source}'): {why}.");
        }
        if (planning && existing is not null && !force)
        {
            throw new OutputRefusedException(ErrorIds.OutputExists, ErrorCategory.ResourceExists,
                what ?? $"The file '{full}' already exists{(OutputProvenance.IsMarked(full) ? "" : NoMarker + StrippedBy)}. Use -Force to overwrite it.")
            { ForceWouldReplace = true };
        }
    }

    // Why a file at an output's name is one of the inputs: the module's own outputs are passed over as inputs unless
    // -IncludeOwnOutputs, so a file there that was read as an input either carries no marker (someone's file, or an
    // output a rewriting tool stripped it from) or was let in by that switch. Read only on this error's path.
    private static string WhyAnInput(string input) => OutputProvenance.IsMarked(input)
        ? ": it is an output of KMeansPS, read as an input because -IncludeOwnOutputs was given. "
        : $": it carries no KMeansPS marker, so it is not known to be an output of this module and is taken as one of the sources{StrippedBy}. ";

    private const string NoMarker = " and carries no KMeansPS marker, so it is not known to be an output of this module";

    // What loses the marker (a PNG tEXt chunk before the image data, a GIF comment) of an output the module wrote:
    // exiftool -all= drops it, ImageMagick writes text chunks after the image data, where it is not looked for.
    private const string StrippedBy = " (tools that rewrite images, such as exiftool -all=, ImageMagick's convert, optipng or pngcrush, drop or move the marker of an output they rewrite)";

    // Two sources of one name (x.png of two folders into one -Destination): -Force cannot help, one would replace the other.
    private const string TwoInputsOneName = "Two inputs give this output name: send them to different -Destination folders, or rename one.";

    private static string Id(FileKey key) => key.Device.ToString(CultureInfo.InvariantCulture) + ":" + key.Number.ToString(CultureInfo.InvariantCulture);
}
