@{
    RootModule           = 'KMeansPS.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '6c1f4a52-8d0e-4b7a-9a51-3f6f2b8e9d17'
    Author               = 'KMeansPS contributors'
    CompanyName          = 'KMeansPS'
    Copyright            = '(c) 2026 KMeansPS contributors. MIT License.'
    Description          = 'Fast, deterministic, hand-vectorized K-means for PowerShell: reduce images to K colours as palette PNGs, and cluster data.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('KMeansPS.format.ps1xml')
    CmdletsToExport      = @(
        'Compress-ImageKMeans'
        'Export-ClusterPlot'
        'Invoke-KMeans'
        'Measure-ImageKMeans'
        'Measure-KMeans'
        'New-SyntheticClusterData'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('KMeans', 'Clustering', 'ColorQuantization', 'Image', 'PNG', 'SIMD', 'Linux', 'Windows', 'MacOS')
            # No LicenseUri/ProjectUri: the project has no public address yet, and a made-up one would mislead.
            # The licence (MIT) is LICENSE and the release notes CHANGELOG.md, both in the module folder.
            ReleaseNotes = 'See CHANGELOG.md in the module folder.'
        }
    }
}
