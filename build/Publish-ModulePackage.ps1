# Publishes the staged module to a local PSResource repository folder, from which users can
# `Install-PSResource KMeansPS -Repository <name>` (or Install-Module after Register-PSRepository).
# Uses PSResourceGet, which ships with PowerShell 7.4+; nothing touches the network.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RepositoryPath,
    [string] $RepositoryName = 'KMeansPSLocalBuild'
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet

New-Item -ItemType Directory -Force -Path $RepositoryPath | Out-Null
$RepositoryPath = (Resolve-Path $RepositoryPath).ProviderPath
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'KMeansPS.psd1')
Get-ChildItem $RepositoryPath -Filter "KMeansPS.$($manifest.ModuleVersion).nupkg" | Remove-Item -Force

$registered = Get-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue
if (-not $registered) {
    Register-PSResourceRepository -Name $RepositoryName -Uri $RepositoryPath -Trusted
}
try {
    Publish-PSResource -Path $ModulePath -Repository $RepositoryName
}
finally {
    if (-not $registered) { Unregister-PSResourceRepository -Name $RepositoryName }
}
$package = Get-ChildItem $RepositoryPath -Filter "KMeansPS.$($manifest.ModuleVersion).nupkg"
Write-Host "Package: $($package.FullName)"
Write-Host "Install: Register-PSResourceRepository -Name KMeansPSLocal -Uri '$RepositoryPath' -Trusted; Install-PSResource KMeansPS -Repository KMeansPSLocal"
