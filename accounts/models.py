"""Who people are: one User per person, logging in with their email address."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.language import language_choices


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser needs is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class ChildAge(models.TextChoices):
    """The ages a lesson has an example for; a parent may pick one to see first."""

    BABY = "baby", _("A baby")
    TODDLER = "toddler", _("A toddler or preschooler")
    SCHOOL_AGE = "school_age", _("A school-age child")


class User(AbstractUser):
    """A person. Everyone is a parent; an admin may also make them a facilitator."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent")
        FACILITATOR = "facilitator", _("Facilitator")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("name"),
        max_length=80,
        blank=True,
        help_text=_("How the site greets them and prints their certificate."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARENT)
    # The languages come from settings (locale/), so a new one needs no migration. The database
    # default lets rows written without the ORM (the benchmark's COPY) follow the browser.
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        db_default="",
        choices=language_choices,
        help_text=_("Empty: the site follows the language their browser asks for."),
    )
    child_age = models.CharField(
        _("child's age"),
        max_length=20,
        choices=ChildAge.choices,
        blank=True,
        default="",
        # Also a database default: rows written in bulk without the column (COPY) stay valid.
        db_default="",
        help_text=_("Lessons show the example for this age first; empty shows every age alike."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self):
        return self.display_name or self.email

    @property
    def is_facilitator(self):
        return self.role == self.Role.FACILITATOR

    def set_child_age(self, age):
        """Remember which age's examples to show first ("" shows every age alike)."""
        self.child_age = age
        self.save(update_fields=["child_age"])

    def set_display_name(self, name):
        """
        Save the name the site greets them by and prints on certificates: on one line (it also
        goes into emails), runs of spaces folded. Empty is fine: the site then says "Hello".
        """
        self.display_name = " ".join(name.split())
        self.save(update_fields=["display_name"])


class ParentGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def for_facilitator(self, user):
        """Groups this person runs. Losing the facilitator role closes them all at once."""
        if not (user.is_authenticated and user.is_facilitator):
            return self.none()
        return self.filter(facilitators=user)

    def for_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.for_member_id(user.pk)

    def for_member_id(self, user_id):
        """Groups the person with this id belongs to (a compiled read's stand-in, too)."""
        return self.filter(memberships__user=user_id)


class ParentGroup(models.Model):
    """
    Parents following one course together with one or more facilitators.

    The course is named by string so this app never imports `courses`. Archiving hides the
    group from its parents but deletes nothing: memberships, assignments and progress stay.
    """

    name = models.CharField(_("name"), max_length=120)
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        related_name="parent_groups",
        verbose_name=_("course"),
    )
    facilitators = models.ManyToManyField(
        User, related_name="facilitated_groups", verbose_name=_("facilitators")
    )
    members = models.ManyToManyField(
        User,
        through="Membership",
        related_name="parent_groups",
        blank=True,
        verbose_name=_("members"),
    )
    # Null while joining by code is turned off. Unique, so a code names exactly one group.
    join_code = models.CharField(_("join code"), max_length=8, unique=True, null=True, blank=True)
    # The language its invitations are written in; empty is the site's default.
    language = models.CharField(
        _("language"), max_length=12, blank=True, db_default="", choices=language_choices
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ParentGroupQuerySet.as_manager()

    class Meta:
        # "Parent groups" in the admin, beside the staff permission "Groups" of Django's auth.
        verbose_name = _("parent group")
        verbose_name_plural = _("parent groups")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def join_code_display(self):
        """The code in two halves of four, as people read it aloud and type it."""
        if not self.join_code:
            return ""
        return f"{self.join_code[:4]}-{self.join_code[4:]}"


class Membership(models.Model):
    group = models.ForeignKey(
        ParentGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="accounts_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} in {self.group}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Not yet used and not yet expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """
    An email invitation to a group. Only a hash of the link's token is stored, so the database
    alone cannot be used to join; the link works once, until `expires_at`.
    """

    group = models.ForeignKey(
        ParentGroup,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("group"),
    )
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("works until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "id"]
        constraints = [
            # At most one unused invitation per address per group: inviting again renews it.
            models.UniqueConstraint(
                fields=["group", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="accounts_invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} to {self.group}"

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class Session(AbstractBaseSession):
    """
    A browser's session, with its signed-in person in a column of its own: a page reads the
    session and the user in one query (accounts/sessions/), and deleting an account ends its
    sessions everywhere at once.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions.db import SessionStore

        return SessionStore
