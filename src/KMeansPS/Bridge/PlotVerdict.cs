namespace KMeansPS.Bridge;

/// <summary>
/// What writing a plot would do with what is at its path (<see cref="PlotJob.Foresee"/>), known before anything is
/// written, so that -WhatIf and -Confirm say what the write does.
/// </summary>
internal enum PlotVerdict
{
    /// <summary>Nothing there: a new file.</summary>
    Write,

    /// <summary>A file there is replaced: with -Force, or the same plot cut short or damaged.</summary>
    Replace,

    /// <summary>This plot is there, whole (drawn by this or another version): left as it is, nothing written.</summary>
    UpToDate,

    /// <summary>Another plot or another file is there, without -Force: OutputExists, nothing written.</summary>
    Refused,
}
