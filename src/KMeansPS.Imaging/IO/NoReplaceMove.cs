namespace KMeansPS.Imaging.IO;

/// <summary>
/// Moves a finished temporary file onto its destination only if nothing is there, in one atomic step, so that of two
/// writers racing for one name exactly one wins and the other is told (<see cref="OutputExistsException"/>).
/// File.Move(overwrite: false) is not enough on Unix: .NET checks that the destination is missing and then calls
/// rename(2), which replaces whatever another process put there in between. Here: link(2) then unlink(2) of the
/// temporary name (the link fails with EEXIST if the name is taken); where the file system has no hard links,
/// renameat2(2) with RENAME_NOREPLACE on Linux; only where neither works, the runtime's check-then-rename. On Windows
/// File.Move(overwrite: false) is MoveFileEx without MOVEFILE_REPLACE_EXISTING, which is atomic already.
/// </summary>
internal static class NoReplaceMove
{
    private const int ErrorFileExists = unchecked((int)0x80070050);
    private const int ErrorAlreadyExists = unchecked((int)0x800700B7);

    /// <summary>Moves <paramref name="temp"/> to <paramref name="destination"/>; throws <see cref="OutputExistsException"/> if that exists.</summary>
    public static void Move(string temp, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temp, destination, overwrite: false);
            }
            catch (IOException ex) when (ex.HResult is ErrorFileExists or ErrorAlreadyExists)
            {
                throw new OutputExistsException(destination);
            }
            return;
        }

        int error = PosixFileCalls.Link(temp, destination);
        if (error == 0)
        {
            TempFiles.Remove(temp);
            return;
        }
        if (error == PosixFileCalls.EEXIST) throw new OutputExistsException(destination);

        // No hard links here (FAT, some network and FUSE file systems), or another failure the fallbacks report.
        error = PosixFileCalls.RenameNoReplace(temp, destination);
        if (error == 0) return;
        if (error == PosixFileCalls.EEXIST) throw new OutputExistsException(destination);
        if (Path.Exists(destination)) throw new OutputExistsException(destination);
        File.Move(temp, destination, overwrite: false); // its exceptions say what went wrong (name too long, denied, ...)
    }
}
