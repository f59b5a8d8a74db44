import { BaseCommand } from '../cli/base.js';

export default class Version extends BaseCommand {
  static override description = 'Print the mcp-runtime version and the API version it serves';
  static override examples = ['<%= config.bin %> version'];

  async run(): Promise<void> {
    await this.parse(Version);
    const { API_VERSION } = await import('../api/v1alpha1/group.js');
    this.log(`${this.config.name} ${this.config.version} (API ${API_VERSION}, node ${process.version})`);
  }
}
