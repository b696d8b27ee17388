/**
 * A USB device class for host policy `device.matchDevice[].class` (KubeArmor's USB device handler,
 * enabled with `enableUSBDeviceHandler`).
 */
export class DeviceClass {
  /** Audio devices. */ public static readonly AUDIO = new DeviceClass('AUDIO');
  /** Communications and CDC control. */ public static readonly COMMUNICATION_CDC = new DeviceClass('COMMUNICATION-CDC');
  /** Human interface devices (keyboards, mice). */ public static readonly HID = new DeviceClass('HID');
  /** Still imaging. */ public static readonly IMAGE = new DeviceClass('IMAGE');
  /** Printers. */ public static readonly PRINTER = new DeviceClass('PRINTER');
  /** Mass storage (USB sticks, disks). */ public static readonly MASS_STORAGE = new DeviceClass('MASS-STORAGE');
  /** Hubs. */ public static readonly HUB = new DeviceClass('HUB');
  /** Smart cards. */ public static readonly SMART_CARD = new DeviceClass('SMART-CARD');
  /** Video. */ public static readonly VIDEO = new DeviceClass('VIDEO');
  /** Wireless controllers (USB network adapters, Bluetooth). */ public static readonly WIRELESS_CONTROLLER = new DeviceClass('WIRELESS-CONTROLLER');
  /** Every device class. */ public static readonly ALL = new DeviceClass('ALL');

  /**
   * A class name this library has no constant for.
   * @param name the class name exactly as KubeArmor spells it
   */
  public static custom(name: string): DeviceClass {
    if (!/^\S+$/.test(name)) throw new Error(`device class '${name}' must be a non-empty name without spaces, e.g. 'MASS-STORAGE'`);
    return new DeviceClass(name);
  }

  private constructor(/** The class name as emitted. */ public readonly name: string) {}
}
