namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// Draws one line of <paramref name="text"/> centred in a <paramref name="width"/> x <paramref name="height"/> box and
/// returns its coverage row by row (0 = background, 255 = ink), or null when it cannot be drawn legibly there.
/// Imaging has no font library: the cmdlets' bridge hands it one made with the plotting library's font. It must give
/// the same bytes for the same arguments on every run and CPU (the figure is reproducible).
/// </summary>
internal delegate byte[]? CaptionRasterizer(string text, int width, int height);
