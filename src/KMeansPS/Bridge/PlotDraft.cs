using KMeansPS.Imaging.Provenance;

namespace KMeansPS.Bridge;

/// <summary>
/// A plot drawn and marked in memory, not yet written: <see cref="PlotJob.Foresee"/> says what writing it would do
/// (under -WhatIf too, which writes nothing), <see cref="PlotJob.Publish(string, PlotDraft, bool, Pipeline.OutputClaim?)"/> writes it.
/// </summary>
internal sealed class PlotDraft
{
    internal PlotDraft(byte[] bytes, OutputMarker marker, bool ofImage)
    {
        Bytes = bytes;
        Marker = marker;
        OfImage = ofImage;
    }

    /// <summary>The file's bytes, marker included.</summary>
    internal byte[] Bytes { get; }

    /// <summary>The marker in <see cref="Bytes"/>.</summary>
    internal OutputMarker Marker { get; }

    /// <summary>Whether the marker records the hash of a plotted image (a curve plot), which a rerun's plot must share.</summary>
    internal bool OfImage { get; }
}
